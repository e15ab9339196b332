namespace K8sHost.Registry.Cache;

/// <summary>Tunables of the watch cache; the server binds them from the "WatchCache" section (WatchCache__MaxEvents) and validates them at start. Tests lower the intervals.</summary>
public sealed class WatchCacheOptions
{
    /// <summary>Events older than this leave the ring (continue tokens and watch resumes older than it get 410).</summary>
    public TimeSpan EventWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>At most this many events are kept in the ring.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, int.MaxValue)]
    public int MaxEvents { get; set; } = 100_000;

    /// <summary>How long a read or a write waits for the cache to reach a revision before giving up (504 for reads).</summary>
    public TimeSpan WaitTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How often watchers that asked for bookmarks get one.</summary>
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Room in each watcher's channel for live events beyond its initial events; full = the watcher is closed.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, int.MaxValue)]
    public int WatcherBuffer { get; set; } = 1000;

    /// <summary>Page size of the startup list.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, int.MaxValue)]
    public int ListPageSize { get; set; } = 1000;

    /// <summary>Watches without a timeout are closed after a random duration in this range, as kube-apiserver does.</summary>
    public TimeSpan MinWatchTimeout { get; set; } = TimeSpan.FromMinutes(30);

    public TimeSpan MaxWatchTimeout { get; set; } = TimeSpan.FromMinutes(60);
}
