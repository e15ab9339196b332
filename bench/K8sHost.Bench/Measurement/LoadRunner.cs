using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace K8sHost.Bench.Measurement;

/// <summary>
/// Runs an operation from N concurrent workers, bounded in time or in count, and records each operation's latency.
/// An operation returns null on success or a one-line error; exceptions count as errors too, so one failing
/// request never aborts a phase (the row shows the error count instead).
/// </summary>
public static class LoadRunner
{
    public delegate Task<string?> Operation(int worker, long iteration, CancellationToken ct);

    /// <summary>Runs for <paramref name="warmup"/> unrecorded, then records for <paramref name="window"/>.</summary>
    public static async Task<LoadResult> RunForAsync(int concurrency, TimeSpan warmup, TimeSpan window, Operation op, CancellationToken ct = default)
    {
        // One iteration counter across warm-up and measurement, so operations that use it for unique names never collide.
        var next = new StrongBox<long>(-1);
        if (warmup > TimeSpan.Zero) await RunCoreAsync(concurrency, warmup, long.MaxValue, op, record: false, next, ct);
        return await RunCoreAsync(concurrency, window, long.MaxValue, op, record: true, next, ct);
    }

    /// <summary>Runs until <paramref name="total"/> operations completed or <paramref name="cap"/> elapsed.</summary>
    public static Task<LoadResult> RunCountAsync(int concurrency, long total, TimeSpan cap, Operation op, CancellationToken ct = default) =>
        RunCoreAsync(concurrency, cap, total, op, record: true, new StrongBox<long>(-1), ct);

    private static async Task<LoadResult> RunCoreAsync(int concurrency, TimeSpan duration, long total, Operation op, bool record, StrongBox<long> next, CancellationToken ct)
    {
        var samples = new List<long>[concurrency];
        long done = 0, errors = 0;
        var limit = total == long.MaxValue ? long.MaxValue : next.Value + 1 + total;
        string? firstError = null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var started = Stopwatch.GetTimestamp();
        var endAt = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);

        async Task Worker(int w)
        {
            var mine = samples[w] = new List<long>(4096);
            while (!stop.IsCancellationRequested && Stopwatch.GetTimestamp() < endAt)
            {
                var i = Interlocked.Increment(ref next.Value);
                if (i >= limit) break;
                var t0 = Stopwatch.GetTimestamp();
                string? error;
                try
                {
                    error = await op(w, i, stop.Token);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception e)
                {
                    error = $"{e.GetType().Name}: {e.Message}";
                }
                var t1 = Stopwatch.GetTimestamp();
                if (error is null)
                {
                    Interlocked.Increment(ref done);
                    if (record) mine.Add(t1 - t0);
                }
                else
                {
                    Interlocked.Increment(ref errors);
                    Interlocked.CompareExchange(ref firstError, error, null);
                    // Back off a little so a broken endpoint does not turn into a busy loop on 2 cores.
                    await Task.Delay(10, CancellationToken.None);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(w => Task.Run(() => Worker(w), CancellationToken.None)));
        var elapsed = Stopwatch.GetElapsedTime(started);
        var latency = record ? Percentiles.FromTicks(samples.Where(s => s is not null).SelectMany(s => s)) : Percentiles.None;
        return new LoadResult(done, errors, elapsed, latency, firstError);
    }
}
