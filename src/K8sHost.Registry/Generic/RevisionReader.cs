namespace K8sHost.Registry.Generic;

/// <summary>
/// Shares "what is the store's current revision?" round trips between concurrent consistent reads. A read may use any
/// revision fetched by a round trip that STARTED after the read arrived (that revision includes everything committed
/// before the read arrived, so the read stays linearizable). Reads arriving while a round trip is in flight therefore
/// wait for the next one, and all of them share it: on etcd this turns one round trip per GET into one per round-trip
/// time, whatever the concurrency.
/// </summary>
public sealed class RevisionReader(Func<CancellationToken, Task<long>> fetch)
{
    private readonly object _gate = new();
    private Task<long>? _inFlight;
    private TaskCompletionSource<long>? _next;

    /// <summary>Round trips actually sent to the store (for tests and diagnostics).</summary>
    public long Fetches => Interlocked.Read(ref _fetches);

    private long _fetches;

    public Task<long> ReadAsync(CancellationToken ct)
    {
        lock (_gate)
        {
            // A round trip that has already finished cannot serve a read that came after it, even if its completion
            // has not been processed yet: start a new one (the old one's completion then finds itself superseded).
            if (_inFlight is null || _inFlight.IsCompleted)
            {
                _inFlight = Start();
                return _inFlight.WaitAsync(ct);
            }
            _next ??= new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            return _next.Task.WaitAsync(ct);
        }
    }

    // Called with _gate held. The shared fetch is not cancelled by any one caller; the store bounds it with its own timeout.
    private Task<long> Start()
    {
        Interlocked.Increment(ref _fetches);
        var task = fetch(CancellationToken.None);
        _ = task.ContinueWith(Completed, TaskScheduler.Default);
        return task;
    }

    private void Completed(Task<long> finished)
    {
        TaskCompletionSource<long>? waiting;
        Task<long>? following = null;
        lock (_gate)
        {
            // Superseded by a newer round trip: readers queued so far are that one's to answer.
            if (!ReferenceEquals(_inFlight, finished)) return;
            waiting = _next;
            _next = null;
            // A failed round trip fails those who queued behind it too: the store did not answer while they waited,
            // and starting another round trip would make each of them wait out a second store timeout.
            _inFlight = waiting is null || !finished.IsCompletedSuccessfully ? null : following = Start();
        }
        if (waiting is not null && !finished.IsCompletedSuccessfully)
        {
            if (finished.Exception is { } failed) waiting.TrySetException(failed.InnerExceptions);
            else waiting.TrySetCanceled();
            return;
        }
        if (waiting is null || following is null) return;
        _ = following.ContinueWith(t =>
        {
            if (t.IsCompletedSuccessfully) waiting.TrySetResult(t.Result);
            else if (t.Exception is { } e) waiting.TrySetException(e.InnerExceptions);
            else waiting.TrySetCanceled();
        }, TaskScheduler.Default);
    }
}
