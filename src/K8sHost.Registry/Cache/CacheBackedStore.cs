using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using K8sHost.Registry.Contracts;
using K8sHost.Storage;

namespace K8sHost.Registry.Cache;

/// <summary>
/// An <see cref="IResourceStore"/> whose reads and watches are served by a <see cref="WatchCache"/>, as kube-apiserver's
/// Cacher implements the same storage interface as etcd3. Writes go to the underlying store and return once the cache
/// has applied their revision. Reads are consistent: they take the registry's own path (<see cref="WatchCache.CatchUpAsync"/>:
/// the store's current revision from round trips shared between readers, then a bounded wait), then answer from
/// memory with the same cache calls the registry makes, so the conformance suite run through this adapter exercises
/// what production reads exercise. Limits that come from the cache: only keys the catalog resolves
/// and values that are JSON objects are visible; values come back as the cache holds them (the stored object,
/// re-serialized, without resourceVersion); history is retained as long as both the cache's ring and the store keep it.
/// </summary>
public sealed class CacheBackedStore : IResourceStore
{
    private static readonly TimeSpan LineageWait = TimeSpan.FromSeconds(1);
    private readonly IResourceStore _store;
    private readonly WatchCache _cache;
    private readonly bool _leaveOpen;
    // Create revisions are not part of a served object, so they are tracked per cached version: every version of one
    // "life" of a key (create → updates → delete) shares one Lineage. Weak keys: versions leave with the cache's ring.
    private readonly ConditionalWeakTable<ObjectVersion, Lineage> _lineage = new();
    private readonly long _baseline;
    private long _observed;
    private long _compacted;

    private CacheBackedStore(IResourceStore store, WatchCache cache, bool leaveOpen)
    {
        _store = store;
        _cache = cache;
        _leaveOpen = leaveOpen;
        _cache.Applied += OnApplied;
        // Subscribed first: every version newer than this revision will be seen by OnApplied.
        _baseline = _cache.Revision;
        _observed = _baseline;
    }

    /// <summary>Wraps a started cache over <paramref name="store"/>. Disposing disposes both unless <paramref name="leaveOpen"/>.</summary>
    public static async Task<CacheBackedStore> CreateAsync(IResourceStore store, WatchCache cache, bool leaveOpen = false, CancellationToken ct = default)
    {
        await cache.EnsureReadyAsync(ct);
        return new CacheBackedStore(store, cache, leaveOpen);
    }

    public string Name => _store.Name + "+watchcache";

    public async Task<long> GetCurrentRevisionAsync(CancellationToken ct = default)
    {
        await CatchUpAsync(ct);
        return _cache.Revision;
    }

    public async Task<StoreResult<KeyValue>> GetAsync(string key, CancellationToken ct = default)
    {
        await CatchUpAsync(ct);
        return _cache.TryGet(key) is { } ov
            ? StoreResult<KeyValue>.Ok(await ToKeyValueAsync(ov, ct))
            : StoreResult<KeyValue>.Fail(StoreStatus.NotFound);
    }

    public Task<StoreResult<long>> CreateAsync(string key, ReadOnlyMemory<byte> value, CancellationToken ct = default) =>
        AppliedAsync(_store.CreateAsync(key, value, ct), ct);

    public Task<StoreResult<long>> UpdateAsync(string key, ReadOnlyMemory<byte> value, long expectedModRevision, CancellationToken ct = default) =>
        AppliedAsync(_store.UpdateAsync(key, value, expectedModRevision, ct), ct);

    public Task<StoreResult<long>> DeleteAsync(string key, long expectedModRevision, CancellationToken ct = default) =>
        AppliedAsync(_store.DeleteAsync(key, expectedModRevision, ct), ct);

    public async Task<StoreResult<RangeResult>> ListAsync(string prefix, string? startAfter, int limit, long revision = 0, CancellationToken ct = default)
    {
        if (revision == 0) await CatchUpAsync(ct);
        else
        {
            await WaitForAsync(revision, ct);
            if (revision < Horizon) return StoreResult<RangeResult>.Fail(StoreStatus.Compacted);
        }
        var page = _cache.List(prefix, startAfter, revision, limit, null);
        if (page is null) return StoreResult<RangeResult>.Fail(StoreStatus.Compacted);
        var items = new List<KeyValue>(page.Items.Count);
        foreach (var ov in page.Items) items.Add(await ToKeyValueAsync(ov, ct));
        return StoreResult<RangeResult>.Ok(new RangeResult(items, page.Revision, page.LastKey is not null));
    }

    public async IAsyncEnumerable<StoreEvent> WatchAsync(string prefix, long afterRevision, [EnumeratorCancellation] CancellationToken ct = default)
    {
        // No wait for afterRevision: a feed from a revision the cache has not reached yet simply starts with later events.
        await _cache.EnsureReadyAsync(ct);
        var last = afterRevision;
        while (!ct.IsCancellationRequested)
        {
            if (last < Horizon)
            {
                yield return StoreEvent.CompactedAt(Horizon);
                yield break;
            }
            // No selector: the store contract has none. The cache closes a watch on timeout, overflow or relist; the
            // loop then resumes after the last delivered revision, as a Kubernetes client would.
            var subscription = _cache.Watch(new WatchRequest(prefix, static _ => true)
            {
                ResumeAfter = last,
                AllowBookmarks = true,
                Timeout = TimeSpan.FromDays(1),
            });
            try
            {
                await foreach (var ev in subscription.Events.ReadAllAsync(ct))
                {
                    if (ev.Type == WatchEventType.Error)
                    {
                        yield return StoreEvent.CompactedAt(Math.Max(_cache.OldestListableRevision, Horizon));
                        yield break;
                    }
                    if (ev.Type == WatchEventType.Bookmark)
                    {
                        // Every change up to a bookmark's revision was delivered, so a resume may start there.
                        if (ev.Revision < last) continue;
                        last = ev.Revision;
                        yield return StoreEvent.Progress(ev.Revision);
                        continue;
                    }
                    if (ev.Revision <= last || ev.Object is not { } ov) continue;
                    last = ev.Revision;
                    var create = await CreateRevisionOfAsync(ov, ct);
                    yield return ev.Type == WatchEventType.Deleted
                        ? new StoreEvent(StoreEventType.Delete, ov.Key, [], ev.Revision, create)
                        : new StoreEvent(StoreEventType.Put, ov.Key, StoredValue(ov), ev.Revision, create);
                }
            }
            finally { await subscription.DisposeAsync(); }
        }
        ct.ThrowIfCancellationRequested();
    }

    public async Task CompactAsync(long revision, CancellationToken ct = default)
    {
        await _store.CompactAsync(revision, ct);
        RaiseCompacted(revision);
    }

    public async Task<long> GetCompactedRevisionAsync(CancellationToken ct = default)
    {
        RaiseCompacted(await _store.GetCompactedRevisionAsync(ct));
        return Horizon;
    }

    public async ValueTask DisposeAsync()
    {
        _cache.Applied -= OnApplied;
        if (_leaveOpen) return;
        await _cache.DisposeAsync();
        await _store.DisposeAsync();
    }

    // The oldest revision served: what the cache's ring still holds and what the store has not compacted away.
    private long Horizon => Math.Max(_cache.OldestListableRevision, Volatile.Read(ref _compacted));

    private void RaiseCompacted(long revision)
    {
        var seen = Volatile.Read(ref _compacted);
        while (revision > seen)
        {
            var was = Interlocked.CompareExchange(ref _compacted, revision, seen);
            if (was == seen) return;
            seen = was;
        }
    }

    private async Task<StoreResult<long>> AppliedAsync(Task<StoreResult<long>> write, CancellationToken ct)
    {
        var result = await write;
        if (result.IsOk) await WaitForAsync(result.Value, ct, committed: true);
        return result;
    }

    // Linearizable reads from the cache, by the very path the registry's reads take (WatchCache.CatchUpAsync).
    private async Task CatchUpAsync(CancellationToken ct)
    {
        await _cache.EnsureReadyAsync(ct);
        var (current, reached) = await _cache.CatchUpAsync(ct);
        if (!reached) throw new StoreUnavailableException($"the watch cache did not reach revision {current} within {_cache.Options.WaitTimeout.TotalSeconds:0.#}s (it is at {_cache.Revision})");
    }

    private async Task WaitForAsync(long revision, CancellationToken ct, bool committed = false)
    {
        await _cache.EnsureReadyAsync(ct);
        var timeout = _cache.Options.WaitTimeout;
        if (await _cache.WaitForRevisionAsync(revision, timeout, ct)) return;
        var what = committed ? $"the write was committed at revision {revision}, but " : "";
        throw new StoreUnavailableException($"{what}the watch cache did not reach revision {revision} within {timeout.TotalSeconds:0.#}s (it is at {_cache.Revision})");
    }

    private async Task<KeyValue> ToKeyValueAsync(ObjectVersion ov, CancellationToken ct) =>
        new(ov.Key, StoredValue(ov), await CreateRevisionOfAsync(ov, ct), ov.Revision);

    // Stored objects never carry resourceVersion; the cache stamps it on the served form, so take it off again.
    private static byte[] StoredValue(ObjectVersion ov)
    {
        var obj = ov.ToJsonObject();
        (obj["metadata"] as JsonObject)?.Remove("resourceVersion");
        return JsonSerializer.SerializeToUtf8Bytes(obj, ServedJson.Options);
    }

    // Runs on the cache's feed loop, in revision order, right after each change is applied: must be quick.
    private void OnApplied(CachedEvent e)
    {
        var lineage = e.Prev is null ? new Lineage(e.Revision) : LineageOf(e.Prev);
        _lineage.AddOrUpdate(e.Object, lineage);
        Volatile.Write(ref _observed, e.Revision);
    }

    private Lineage LineageOf(ObjectVersion ov) => _lineage.GetValue(ov, static v => new Lineage(v));

    private async Task<long> CreateRevisionOfAsync(ObjectVersion ov, CancellationToken ct)
    {
        // OnApplied runs just after the cache signals the revision, so a reader can get there first: give it a moment.
        if (!_lineage.TryGetValue(ov, out var lineage) && ov.Revision > _baseline)
        {
            var deadline = DateTime.UtcNow + LineageWait;
            while (Volatile.Read(ref _observed) < ov.Revision && DateTime.UtcNow < deadline) await Task.Delay(2, ct);
        }
        lineage ??= LineageOf(ov); // loaded before this store subscribed (or relisted): resolved from the store once
        return await lineage.ResolveAsync(_store, ct);
    }

    /// <summary>One life of a key. Known at creation, or resolved once from the store for versions the cache loaded.</summary>
    private sealed class Lineage
    {
        private readonly ObjectVersion? _root;
        private long _createRevision;

        public Lineage(long createRevision) => _createRevision = createRevision;

        public Lineage(ObjectVersion root) => _root = root;

        public async Task<long> ResolveAsync(IResourceStore store, CancellationToken ct)
        {
            var known = Volatile.Read(ref _createRevision);
            if (known != 0 || _root is null) return known;
            // The key's value as of the root version's revision carries its create revision; when that history is
            // compacted, the current value still does if the key was not changed since.
            var asOf = await store.ListAsync(_root.Key, null, 1, _root.Revision, ct);
            var kv = asOf.IsOk ? asOf.Value!.Items.FirstOrDefault() : (await store.GetAsync(_root.Key, ct)).Value;
            if (kv is not null && kv.Key == _root.Key && kv.ModRevision == _root.Revision) known = kv.CreateRevision;
            Volatile.Write(ref _createRevision, known);
            return known;
        }
    }
}
