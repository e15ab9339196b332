using System.Runtime.CompilerServices;

namespace K8sHost.Storage.Tests.ThroughCache;

/// <summary>A real store whose change feed hands each event on <paramref name="lag"/> late, as a busy or remote feed does.</summary>
internal sealed class LaggingFeedStore(IResourceStore inner, TimeSpan lag) : IResourceStore
{
    public string Name => inner.Name;

    public Task<long> GetCurrentRevisionAsync(CancellationToken ct = default) => inner.GetCurrentRevisionAsync(ct);

    public Task<StoreResult<KeyValue>> GetAsync(string key, CancellationToken ct = default) => inner.GetAsync(key, ct);

    public Task<StoreResult<long>> CreateAsync(string key, ReadOnlyMemory<byte> value, CancellationToken ct = default) => inner.CreateAsync(key, value, ct);

    public Task<StoreResult<long>> UpdateAsync(string key, ReadOnlyMemory<byte> value, long expectedModRevision, CancellationToken ct = default) =>
        inner.UpdateAsync(key, value, expectedModRevision, ct);

    public Task<StoreResult<long>> DeleteAsync(string key, long expectedModRevision, CancellationToken ct = default) => inner.DeleteAsync(key, expectedModRevision, ct);

    public Task<StoreResult<RangeResult>> ListAsync(string prefix, string? startAfter, int limit, long revision = 0, CancellationToken ct = default) =>
        inner.ListAsync(prefix, startAfter, limit, revision, ct);

    public async IAsyncEnumerable<StoreEvent> WatchAsync(string prefix, long afterRevision, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await foreach (var e in inner.WatchAsync(prefix, afterRevision, ct))
        {
            await Task.Delay(lag, ct);
            yield return e;
        }
    }

    public Task CompactAsync(long revision, CancellationToken ct = default) => inner.CompactAsync(revision, ct);

    public Task<long> GetCompactedRevisionAsync(CancellationToken ct = default) => inner.GetCompactedRevisionAsync(ct);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
