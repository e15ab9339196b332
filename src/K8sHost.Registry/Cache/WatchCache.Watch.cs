using K8sHost.ApiMachinery.Errors;
using K8sHost.Registry.Contracts;

namespace K8sHost.Registry.Cache;

// Watch registration. Registration takes the write lock, so the initial events or the replay from the ring and the
// first live event meet with no gap and no duplicate.
public sealed partial class WatchCache
{
    private readonly object _watchersGate = new();
    private CacheWatcher[] _watchers = [];

    public int WatcherCount => Volatile.Read(ref _watchers).Length;

    public IWatchSubscription Watch(WatchRequest request)
    {
        var initial = new List<WatchEvent>();
        CacheWatcher watcher;
        _lock.EnterWriteLock();
        try
        {
            if (request.ResumeAfter is long after)
            {
                if (after < _ring.CompleteAfter)
                {
                    var status = ApiError.Gone($"too old resource version: {after} ({_ring.CompleteAfter + 1})").ToStatus();
                    return ClosedWith(request, new WatchEvent(WatchEventType.Error, null, _revision, status));
                }
                watcher = new CacheWatcher(this, request, _options.WatcherBuffer + CountAfter(after));
                for (var i = _ring.FirstAfter(after); i < _ring.Count; i++) watcher.Deliver(_ring[i]);
            }
            else
            {
                foreach (var ov in Range(request.Prefix, null))
                    if (request.Matches(ov)) initial.Add(new WatchEvent(WatchEventType.Added, ov, ov.Revision));
                if (request.SendInitialEvents)
                    initial.Add(new WatchEvent(WatchEventType.Bookmark, null, _revision, InitialEventsEnd: true));
                watcher = new CacheWatcher(this, request, _options.WatcherBuffer + initial.Count);
                foreach (var ev in initial) watcher.Send(ev);
            }
            AddWatcher(watcher);
        }
        finally { _lock.ExitWriteLock(); }
        watcher.StartTimer(request.Timeout ?? RandomLongTimeout());
        return watcher;
    }

    /// <summary>
    /// Ends every open watch after what was already queued, as a restart or a relist does; clients resume from their last
    /// resourceVersion. Used by fault injection in tests (K8sHost.Testing). Returns how many watches were closed.
    /// </summary>
    public int CloseAllWatchers()
    {
        var all = Volatile.Read(ref _watchers);
        foreach (var w in all) w.Close();
        return all.Length;
    }

    internal void Remove(CacheWatcher w)
    {
        lock (_watchersGate)
        {
            var current = _watchers;
            var i = Array.IndexOf(current, w);
            if (i < 0) return;
            var next = new CacheWatcher[current.Length - 1];
            Array.Copy(current, 0, next, 0, i);
            Array.Copy(current, i + 1, next, i, current.Length - i - 1);
            Volatile.Write(ref _watchers, next);
        }
    }

    private void AddWatcher(CacheWatcher w)
    {
        lock (_watchersGate) Volatile.Write(ref _watchers, [.. _watchers, w]);
    }

    private int CountAfter(long revision) => _ring.Count - _ring.FirstAfter(revision);

    private CacheWatcher ClosedWith(WatchRequest request, WatchEvent ev)
    {
        var w = new CacheWatcher(this, request, 1);
        w.Send(ev);
        w.Close();
        return w;
    }

    // kube-apiserver spreads watch lifetimes so clients do not all reconnect at once.
    private TimeSpan RandomLongTimeout()
    {
        var min = _options.MinWatchTimeout;
        var span = Math.Max(0, (_options.MaxWatchTimeout - min).TotalMilliseconds);
        return min + TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * span);
    }
}
