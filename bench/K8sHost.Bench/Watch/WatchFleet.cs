using System.Buffers;
using System.Buffers.Text;
using System.IO.Pipelines;

namespace K8sHost.Bench.Watch;

/// <summary>
/// N concurrent watch clients, each on its own HTTP/1.1 connection (as N separate kubelets/controllers would be).
/// Every received line is scanned for the send-time stamp annotation; lines stamped at or after
/// <see cref="CountFromTicks"/> are counted and their delivery latency (receive time − stamp, both UtcNow ticks on the
/// same machine) recorded. Lines are scanned as bytes, not parsed, to keep client CPU low on 2 cores.
/// </summary>
public sealed class WatchFleet : IAsyncDisposable
{
    private readonly HttpClient _client;
    private readonly string _path;
    private readonly List<double>[] _latencies;
    private readonly Task[] _loops;
    private readonly CancellationTokenSource _stop = new();
    private int _connected;
    private int _endedEarly;
    private long _received;
    private string? _firstError;

    public WatchFleet(HttpClient client, string path, int watchers)
    {
        _client = client;
        _path = path;
        _latencies = Enumerable.Range(0, watchers).Select(_ => new List<double>()).ToArray();
        _loops = new Task[watchers];
    }

    /// <summary>Events stamped before this (DateTime.UtcNow ticks) are ignored.</summary>
    public long CountFromTicks { get; set; } = long.MaxValue;
    public int Connected => Volatile.Read(ref _connected);
    public int EndedEarly => Volatile.Read(ref _endedEarly);
    public long Received => Interlocked.Read(ref _received);
    public string? FirstError => _firstError;

    /// <summary>Opens every watch (at most 64 handshakes at a time) and waits until all have response headers or <paramref name="timeout"/>.</summary>
    public async Task ConnectAsync(TimeSpan timeout)
    {
        using var gate = new SemaphoreSlim(64);
        for (var i = 0; i < _loops.Length; i++)
        {
            var index = i;
            _loops[i] = Task.Run(() => RunAsync(index, gate));
        }
        var deadline = DateTime.UtcNow + timeout;
        while (Connected + EndedEarly < _loops.Length && DateTime.UtcNow < deadline) await Task.Delay(50);
    }

    public IEnumerable<double> Latencies
    {
        get
        {
            foreach (var list in _latencies)
            {
                lock (list)
                {
                    foreach (var x in list.ToArray()) yield return x;
                }
            }
        }
    }

    private async Task RunAsync(int index, SemaphoreSlim gate)
    {
        var held = false;
        try
        {
            await gate.WaitAsync(_stop.Token);
            held = true;
            using var request = new HttpRequestMessage(HttpMethod.Get, _path);
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _stop.Token);
            gate.Release();
            held = false;
            if (!response.IsSuccessStatusCode)
            {
                Interlocked.CompareExchange(ref _firstError, $"watch {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(_stop.Token)}", null);
                Interlocked.Increment(ref _endedEarly);
                return;
            }
            Interlocked.Increment(ref _connected);
            await using var stream = await response.Content.ReadAsStreamAsync(_stop.Token);
            var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 32 * 1024));
            while (true)
            {
                var result = await reader.ReadAsync(_stop.Token);
                var buffer = result.Buffer;
                while (TryReadLine(ref buffer, out var line)) OnLine(index, line);
                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted) break;
            }
            if (!_stop.IsCancellationRequested)
            {
                Interlocked.Increment(ref _endedEarly);
                Interlocked.Decrement(ref _connected);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested) { }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            if (_stop.IsCancellationRequested) return;
            Interlocked.CompareExchange(ref _firstError, $"watch: {e.Message}", null);
            Interlocked.Increment(ref _endedEarly);
        }
        finally
        {
            if (held) gate.Release();
        }
    }

    private static bool TryReadLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        var newline = buffer.PositionOf((byte)'\n');
        if (newline is null)
        {
            line = default;
            return false;
        }
        line = buffer.Slice(0, newline.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, newline.Value));
        return true;
    }

    private void OnLine(int index, ReadOnlySequence<byte> line)
    {
        var receivedAt = DateTime.UtcNow.Ticks;
        byte[]? rented = null;
        ReadOnlySpan<byte> span;
        if (line.IsSingleSegment)
        {
            span = line.FirstSpan;
        }
        else
        {
            rented = ArrayPool<byte>.Shared.Rent((int)line.Length);
            line.CopyTo(rented);
            span = rented.AsSpan(0, (int)line.Length);
        }
        try
        {
            var at = span.IndexOf(PodJson.StampMarker);
            if (at < 0) return;
            if (!Utf8Parser.TryParse(span[(at + PodJson.StampMarker.Length)..], out long stamp, out _)) return;
            if (stamp < CountFromTicks) return;
            Interlocked.Increment(ref _received);
            var list = _latencies[index];
            lock (list) list.Add((receivedAt - stamp) / (double)TimeSpan.TicksPerMillisecond);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await Task.WhenAll(_loops.Where(t => t is not null)).WaitAsync(TimeSpan.FromSeconds(15)).ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }
}
