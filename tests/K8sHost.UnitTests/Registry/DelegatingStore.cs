using K8sHost.Storage;

namespace K8sHost.UnitTests.Registry;

/// <summary>
/// A real store passed through, for the few failure modes that cannot be provoked on purpose against a healthy
/// SQLite file (a feed that reports compaction, an outage). Subclasses override one member each.
/// </summary>
internal class DelegatingStore(IResourceStore inner) : IResourceStore
{
    public string Name => inner.Name;
    public virtual Task<long> GetCurrentRevisionAsync(CancellationToken ct = default) => inner.GetCurrentRevisionAsync(ct);
    public virtual Task<StoreResult<KeyValue>> GetAsync(string key, CancellationToken ct = default) => inner.GetAsync(key, ct);
    public virtual Task<StoreResult<long>> CreateAsync(string key, ReadOnlyMemory<byte> value, CancellationToken ct = default) => inner.CreateAsync(key, value, ct);
    public virtual Task<StoreResult<long>> UpdateAsync(string key, ReadOnlyMemory<byte> value, long expected, CancellationToken ct = default) =>
        inner.UpdateAsync(key, value, expected, ct);
    public virtual Task<StoreResult<long>> DeleteAsync(string key, long expected, CancellationToken ct = default) => inner.DeleteAsync(key, expected, ct);
    public virtual Task<StoreResult<RangeResult>> ListAsync(string prefix, string? startAfter, int limit, long revision = 0, CancellationToken ct = default) =>
        inner.ListAsync(prefix, startAfter, limit, revision, ct);
    public virtual IAsyncEnumerable<StoreEvent> WatchAsync(string prefix, long afterRevision, CancellationToken ct = default) =>
        inner.WatchAsync(prefix, afterRevision, ct);
    public Task CompactAsync(long revision, CancellationToken ct = default) => inner.CompactAsync(revision, ct);
    public Task<long> GetCompactedRevisionAsync(CancellationToken ct = default) => inner.GetCompactedRevisionAsync(ct);
    public ValueTask DisposeAsync() => ValueTask.CompletedTask; // the harness owns the inner store
}
