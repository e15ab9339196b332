namespace K8sHost.Storage.Tests.ThroughCache;

/// <summary>A real store whose "current revision" round trip takes <paramref name="delay"/> (a remote store) and is counted.</summary>
internal sealed class SlowRevisionStore(IResourceStore inner, TimeSpan delay) : IResourceStore
{
    public string Name => inner.Name;

    private int _revisionCalls;

    /// <summary>How many "current revision" round trips reached this store.</summary>
    public int RevisionCalls => Volatile.Read(ref _revisionCalls);

    public async Task<long> GetCurrentRevisionAsync(CancellationToken ct = default)
    {
        Interlocked.Increment(ref _revisionCalls);
        await Task.Delay(delay, ct);
        return await inner.GetCurrentRevisionAsync(ct);
    }

    public Task<StoreResult<KeyValue>> GetAsync(string key, CancellationToken ct = default) => inner.GetAsync(key, ct);

    public Task<StoreResult<long>> CreateAsync(string key, ReadOnlyMemory<byte> value, CancellationToken ct = default) => inner.CreateAsync(key, value, ct);

    public Task<StoreResult<long>> UpdateAsync(string key, ReadOnlyMemory<byte> value, long expectedModRevision, CancellationToken ct = default) =>
        inner.UpdateAsync(key, value, expectedModRevision, ct);

    public Task<StoreResult<long>> DeleteAsync(string key, long expectedModRevision, CancellationToken ct = default) => inner.DeleteAsync(key, expectedModRevision, ct);

    public Task<StoreResult<RangeResult>> ListAsync(string prefix, string? startAfter, int limit, long revision = 0, CancellationToken ct = default) =>
        inner.ListAsync(prefix, startAfter, limit, revision, ct);

    public IAsyncEnumerable<StoreEvent> WatchAsync(string prefix, long afterRevision, CancellationToken ct = default) =>
        inner.WatchAsync(prefix, afterRevision, ct);

    public Task CompactAsync(long revision, CancellationToken ct = default) => inner.CompactAsync(revision, ct);

    public Task<long> GetCompactedRevisionAsync(CancellationToken ct = default) => inner.GetCompactedRevisionAsync(ct);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
