namespace K8sHost.Storage;

/// <summary>
/// The only contract between the API server and a storage engine: keys, bytes and revisions.
/// Every write produces a new global revision (strictly increasing, never reused, survives restarts).
/// Expected outcomes (not found, already exists, revision conflict, compacted) come back as
/// <see cref="StoreStatus"/> values, never as exceptions. Exceptions mean the store is unusable, and say whether the
/// call was applied: <see cref="StoreUnavailableException"/> = certainly not (503 at the API edge),
/// <see cref="StoreOutcomeUnknownException"/> = sent but unanswered, maybe applied (504). Cancellation by the caller's
/// token surfaces as <see cref="OperationCanceledException"/>; a write cancelled after it was sent may still apply.
/// Backends know nothing about Kubernetes: no selectors, no resourceVersion rules, no JSON parsing.
/// </summary>
public interface IResourceStore : IAsyncDisposable
{
    /// <summary>Short name for logs and /readyz ("sqlite", "etcd", "flaredb").</summary>
    string Name { get; }

    /// <summary>The newest revision the store has committed.</summary>
    Task<long> GetCurrentRevisionAsync(CancellationToken ct = default);

    Task<StoreResult<KeyValue>> GetAsync(string key, CancellationToken ct = default);

    /// <summary>Creates <paramref name="key"/>; <see cref="StoreStatus.KeyExists"/> if it is present. Returns the new revision.</summary>
    Task<StoreResult<long>> CreateAsync(string key, ReadOnlyMemory<byte> value, CancellationToken ct = default);

    /// <summary>
    /// Compare-and-swap: replaces the value only if the key's current ModRevision equals
    /// <paramref name="expectedModRevision"/>. Returns the new revision; <see cref="StoreStatus.Conflict"/>
    /// (with the current KeyValue in <see cref="StoreResult{T}.Current"/>) when it differs,
    /// <see cref="StoreStatus.NotFound"/> when the key is gone.
    /// </summary>
    Task<StoreResult<long>> UpdateAsync(string key, ReadOnlyMemory<byte> value, long expectedModRevision, CancellationToken ct = default);

    /// <summary>
    /// Deletes the key if its ModRevision equals <paramref name="expectedModRevision"/> (0 = unconditionally).
    /// Returns the revision of the delete; the deleted value is in <see cref="StoreResult{T}.Current"/>.
    /// </summary>
    Task<StoreResult<long>> DeleteAsync(string key, long expectedModRevision, CancellationToken ct = default);

    /// <summary>
    /// Keys starting with <paramref name="prefix"/>, in ordinal byte order, strictly after <paramref name="startAfter"/>
    /// (null = from the beginning), at most <paramref name="limit"/> (0 = no limit), as of <paramref name="revision"/>
    /// (0 = the newest). <see cref="StoreStatus.Compacted"/> when that revision is no longer retained.
    /// The result's Revision is the revision the read was served at.
    /// </summary>
    Task<StoreResult<RangeResult>> ListAsync(string prefix, string? startAfter, int limit, long revision = 0, CancellationToken ct = default);

    /// <summary>
    /// The change feed: every change to keys under <paramref name="prefix"/> with revision &gt; <paramref name="afterRevision"/>,
    /// in revision order, with no gaps, until cancelled. If <paramref name="afterRevision"/> is older than the retained
    /// history the first (and only) item is a <see cref="StoreEvent"/> with <see cref="StoreEventType.Compacted"/>.
    /// Progress events (<see cref="StoreEventType.Progress"/>) may be sent to say "nothing newer than Revision".
    /// </summary>
    IAsyncEnumerable<StoreEvent> WatchAsync(string prefix, long afterRevision, CancellationToken ct = default);

    /// <summary>Discards history older than <paramref name="revision"/>. Current values are never removed.</summary>
    Task CompactAsync(long revision, CancellationToken ct = default);

    /// <summary>The oldest revision the change feed can still resume after.</summary>
    Task<long> GetCompactedRevisionAsync(CancellationToken ct = default);
}
