using K8sHost.ApiMachinery.Errors;
using K8sHost.Registry.Catalog;
using K8sHost.Registry.Contracts;
using K8sHost.Storage;
using Microsoft.Extensions.Logging;

namespace K8sHost.Registry.Cache;

/// <summary>
/// One cache for the whole store. It lists everything under "k8s/" once, then follows the store's change feed.
/// It holds the current state (ordered by key, for O(log n) seeks) and a ring of recent events with their previous
/// versions, so that lists at an older revision, watch resumes and selector transitions need no store round trip.
/// Every ObjectVersion is built once per revision and shared by all readers and watchers.
/// </summary>
public sealed partial class WatchCache : IAsyncDisposable
{
    private readonly IResourceStore _store;
    private readonly WatchCacheOptions _options;
    private readonly ILogger _logger;
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly SortedSet<ObjectVersion> _ordered = new(KeyOrder.Instance);
    private readonly Dictionary<string, ObjectVersion> _byKey = new(StringComparer.Ordinal);
    private readonly EventRing _ring;
    private readonly Generic.RevisionReader _revisions;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource _advanced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _revision;
    private Task? _feedLoop;
    private Task? _bookmarkLoop;

    public WatchCache(IResourceStore store, ResourceCatalog catalog, WatchCacheOptions options, ILogger<WatchCache> logger)
    {
        _store = store;
        _options = options;
        _logger = logger;
        Keys = new KeyResolver(catalog);
        _ring = new EventRing(options.MaxEvents, options.EventWindow);
        _revisions = new Generic.RevisionReader(store.GetCurrentRevisionAsync);
    }

    public KeyResolver Keys { get; }

    public WatchCacheOptions Options => _options;

    /// <summary>The newest store revision the cache has applied.</summary>
    public long Revision => Volatile.Read(ref _revision);

    /// <summary>Raised after each applied change (outside the lock), before waiters on its revision are released. Handlers must be quick and must not throw.</summary>
    public event Action<CachedEvent>? Applied;

    /// <summary>Loads the state and starts following the store. Returns once the initial list is in memory.</summary>
    public async Task StartAsync(CancellationToken ct)
    {
        if (_feedLoop is not null) return;
        await LoadAllAsync(ct);
        _ready.TrySetResult();
        _feedLoop = Task.Run(() => FollowAsync(_stop.Token));
        _bookmarkLoop = Task.Run(() => BookmarkLoopAsync(_stop.Token));
    }

    /// <summary>Throws 503 when the cache has not finished its initial load in time.</summary>
    public async Task EnsureReadyAsync(CancellationToken ct)
    {
        if (_ready.Task.IsCompleted) return;
        try { await _ready.Task.WaitAsync(_options.WaitTimeout, ct); }
        catch (TimeoutException) { throw ApiError.ServiceUnavailable("the server is starting: the watch cache is not ready yet"); }
    }

    /// <summary>Waits (bounded) until the cache has applied <paramref name="revision"/>; false on timeout.</summary>
    public async Task<bool> WaitForRevisionAsync(long revision, TimeSpan timeout, CancellationToken ct)
    {
        if (Revision >= revision) return true;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        while (true)
        {
            var signal = Volatile.Read(ref _advanced);
            if (Revision >= revision) return true;
            try { await signal.Task.WaitAsync(cts.Token); }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested) { return Revision >= revision; }
        }
    }

    /// <summary>
    /// A consistent read from the cache (kube-apiserver's consistent reads from cache): asks the store for its current
    /// revision, sharing round trips between concurrent readers, then waits (bounded) until the cache has applied it.
    /// Returns that revision and whether the cache reached it in time. Every reader of the cache (the registry, and the
    /// store adapter the storage conformance suite runs through) takes this one path.
    /// </summary>
    public async Task<(long Revision, bool Reached)> CatchUpAsync(CancellationToken ct)
    {
        var current = await _revisions.ReadAsync(ct);
        return (current, await WaitForRevisionAsync(current, _options.WaitTimeout, ct));
    }

    /// <summary>How many "current revision" round trips <see cref="CatchUpAsync"/> has sent to the store.</summary>
    public long RevisionFetches => _revisions.Fetches;

    /// <summary>The cached current version of <paramref name="key"/>.</summary>
    public ObjectVersion? TryGet(string key)
    {
        _lock.EnterReadLock();
        try { return _byKey.GetValueOrDefault(key); }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>Every current object under <paramref name="prefix"/>, in key order.</summary>
    public List<ObjectVersion> Snapshot(string prefix)
    {
        _lock.EnterReadLock();
        try { return [.. Range(prefix, null)]; }
        finally { _lock.ExitReadLock(); }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested) await _stop.CancelAsync();
        foreach (var t in new[] { _feedLoop, _bookmarkLoop })
            if (t is not null)
                try { await t; } catch (OperationCanceledException) { }
        foreach (var w in Volatile.Read(ref _watchers)) w.Close();
        _stop.Dispose();
    }

    // Current entries under a prefix strictly after startAfter; callers hold the lock.
    private IEnumerable<ObjectVersion> Range(string prefix, string? startAfter)
    {
        var lower = startAfter is null || string.CompareOrdinal(startAfter, prefix) < 0 ? prefix : startAfter;
        var upper = prefix + '\uffff';
        if (string.CompareOrdinal(lower, upper) > 0) yield break;
        foreach (var ov in _ordered.GetViewBetween(KeyOrder.Probe(lower), KeyOrder.Probe(upper)))
        {
            if (startAfter is not null && string.CompareOrdinal(ov.Key, startAfter) <= 0) continue;
            yield return ov;
        }
    }

    private void SignalAdvanced()
    {
        var old = Interlocked.Exchange(ref _advanced, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        old.TrySetResult();
    }

    /// <summary>Orders ObjectVersions by storage key (ordinal), the order of the store's range reads.</summary>
    private sealed class KeyOrder : IComparer<ObjectVersion>
    {
        public static readonly KeyOrder Instance = new();
        private static readonly IReadOnlyDictionary<string, string> None = new Dictionary<string, string>();

        public int Compare(ObjectVersion? x, ObjectVersion? y) => string.CompareOrdinal(x!.Key, y!.Key);

        public static ObjectVersion Probe(string key) => new(key, null, "", 0, [], None, None);
    }
}
