using K8sHost.Storage.FlareDb.Layout;
using K8sHost.Storage.FlareDb.Routing;

namespace K8sHost.Storage.FlareDb;

/// <summary>
/// The global revision counter: one key advanced with RawCompareAndSwap, so every API server replica sharing the
/// cluster draws unique, increasing revisions. The last value seen is remembered, so the common case costs one RPC
/// (a failed swap returns the current value, which is the next attempt's expectation).
/// </summary>
internal sealed class RevisionCounter
{
    private readonly RawKvClient _kv;
    private byte[]? _lastSeen;

    public RevisionCounter(RawKvClient kv) => _kv = kv;

    public async Task<long> CurrentAsync(CancellationToken ct)
    {
        var bytes = await _kv.GetAsync(Keys.RevisionCounter, ct);
        Volatile.Write(ref _lastSeen, bytes);
        return bytes is null ? 0 : Keys.DecodeLong(bytes);
    }

    public async Task<long> NextAsync(CancellationToken ct)
    {
        var expected = Volatile.Read(ref _lastSeen) ?? await _kv.GetAsync(Keys.RevisionCounter, ct);
        while (true)
        {
            var next = (expected is null ? 0 : Keys.DecodeLong(expected)) + 1;
            var nextBytes = Keys.EncodeLong(next);
            var (swapped, previous) = await _kv.CompareAndSwapAsync(Keys.RevisionCounter, expected, nextBytes, ct);
            if (swapped)
            {
                Volatile.Write(ref _lastSeen, nextBytes);
                return next;
            }

            expected = previous;
        }
    }
}
