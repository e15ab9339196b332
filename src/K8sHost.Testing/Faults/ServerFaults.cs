using K8sHost.Registry.Cache;

namespace K8sHost.Testing.Faults;

/// <summary>What a store fault looks like to clients.</summary>
public enum StoreFaultKind
{
    /// <summary>The store is unreachable: requests that need it get 503 ServiceUnavailable with Retry-After.</summary>
    Unavailable,

    /// <summary>The store does not answer in time: requests that need it get 504 Timeout.</summary>
    Timeout,
}

/// <summary>
/// Fault injection for tests of client resilience: take the store away for a while, or end every open watch as a
/// server restart or a watch-cache relist does. Reads, writes and watches all go through the real server.
/// </summary>
public sealed class ServerFaults
{
    private readonly FaultInjectingStore _store;
    private readonly WatchCache _cache;

    internal ServerFaults(FaultInjectingStore store, WatchCache cache)
    {
        _store = store;
        _cache = cache;
    }

    /// <summary>True while a store fault is in effect.</summary>
    public bool StoreIsFaulted => _store.Active is not null;

    /// <summary>Makes the store fail until <see cref="RestoreStore"/> (or for <paramref name="duration"/>, when given).</summary>
    public void MakeStoreUnavailable(TimeSpan? duration = null, StoreFaultKind kind = StoreFaultKind.Unavailable) =>
        _store.Set(new StoreFault(kind, duration is { } d ? DateTime.UtcNow + d : null));

    /// <summary>Ends a store fault now.</summary>
    public void RestoreStore() => _store.Set(null);

    /// <summary>
    /// Ends every open watch stream cleanly (the response completes), as kube-apiserver does on restart or when its
    /// watch cache re-lists. Clients must re-establish their watches, resuming from the last resourceVersion they saw.
    /// Returns how many watches were closed.
    /// </summary>
    public int CloseAllWatches() => _cache.CloseAllWatchers();
}
