using System.Text.Json;
using K8sHost.Registry.Catalog;
using K8sHost.Registry.Contracts;
using K8sHost.Storage;
using Microsoft.Extensions.Logging;

namespace K8sHost.Registry.Cache;

// Filling the cache: the startup list, the change feed, and the relist after compaction.
public sealed partial class WatchCache
{
    private async Task LoadAllAsync(CancellationToken ct)
    {
        var (items, revision) = await ListStoreAsync(ct);
        _lock.EnterWriteLock();
        try
        {
            _ordered.Clear();
            _byKey.Clear();
            foreach (var ov in items)
            {
                _ordered.Add(ov);
                _byKey[ov.Key] = ov;
            }
            _ring.Reset(revision);
            Volatile.Write(ref _revision, revision);
        }
        finally { _lock.ExitWriteLock(); }
        SignalAdvanced();
    }

    // A paged list of everything at one revision; restarts if that revision is compacted mid-way.
    private async Task<(List<ObjectVersion> Items, long Revision)> ListStoreAsync(CancellationToken ct)
    {
        while (true)
        {
            var items = new List<ObjectVersion>();
            long revision = 0;
            string? after = null;
            var compacted = false;
            while (true)
            {
                var page = await _store.ListAsync(StorageKeys.Root, after, _options.ListPageSize, revision, ct);
                if (page.Status == StoreStatus.Compacted) { compacted = true; break; }
                var range = page.Value!;
                revision = range.Revision;
                foreach (var kv in range.Items)
                {
                    var ov = Build(kv.Key, kv.Value, kv.ModRevision);
                    if (ov is not null) items.Add(ov);
                }
                if (!range.More || range.Items.Count == 0) break;
                after = range.Items[^1].Key;
            }
            if (!compacted) return (items, revision);
        }
    }

    private ObjectVersion? Build(string key, byte[] value, long revision)
    {
        var pk = Keys.Parse(key);
        if (pk is null) return null;
        try { return ObjectVersionFactory.FromStored(pk, key, value, revision); }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            _logger.LogWarning("skipping undecodable object {Key} at revision {Revision}: {Error}", key, revision, e.Message);
            return null;
        }
    }

    private async Task FollowAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var relist = false;
                await foreach (var ev in _store.WatchAsync(StorageKeys.Root, Revision, ct))
                {
                    switch (ev.Type)
                    {
                        case StoreEventType.Put:
                        case StoreEventType.Delete:
                            Apply(ev);
                            break;
                        case StoreEventType.Progress:
                            AdvanceTo(ev.Revision);
                            break;
                        case StoreEventType.Compacted:
                            relist = true;
                            break;
                    }
                    if (relist) break;
                }
                if (relist) await RelistAsync(ct);
                else await Task.Delay(TimeSpan.FromMilliseconds(100), ct); // the feed ended on its own: resume, but never spin
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                // The store went away or the feed broke: keep serving what we have and resume where we stopped.
                _logger.LogWarning("watch cache feed failed at revision {Revision}: {Error}", Revision, e.Message);
                try { await Task.Delay(TimeSpan.FromMilliseconds(500), ct); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>The history we needed is gone: reload the state and end every watch (clients resume or re-list).</summary>
    private async Task RelistAsync(CancellationToken ct)
    {
        _logger.LogWarning("watch cache fell behind the store's compaction at revision {Revision}; relisting", Revision);
        await LoadAllAsync(ct);
        foreach (var w in Volatile.Read(ref _watchers)) w.Close();
    }

    private void AdvanceTo(long revision)
    {
        if (revision <= Revision) return;
        _lock.EnterWriteLock();
        try { if (revision > _revision) Volatile.Write(ref _revision, revision); }
        finally { _lock.ExitWriteLock(); }
        SignalAdvanced();
    }

    // Only the feed loop calls this, so reading _byKey before taking the lock is safe: nobody else mutates it.
    internal void Apply(StoreEvent ev)
    {
        if (ev.Revision <= Revision) return;
        var prev = _byKey.GetValueOrDefault(ev.Key);
        CachedEvent? change = null;
        var now = DateTime.UtcNow;
        if (ev.Type == StoreEventType.Put)
        {
            var ov = TakeExpected(ev.Key, ev.Value)?.At(ev.Revision) ?? Build(ev.Key, ev.Value, ev.Revision);
            if (ov is not null) change = new CachedEvent(false, ev.Revision, ev.Key, ov, prev, now);
        }
        else if (prev is not null)
        {
            var pk = Keys.Parse(ev.Key)!;
            change = new CachedEvent(true, ev.Revision, ev.Key, ObjectVersionFactory.Tombstone(pk.Descriptor, prev, ev.Revision), prev, now);
        }

        _lock.EnterWriteLock();
        try
        {
            if (change is not null)
            {
                if (prev is not null) _ordered.Remove(prev);
                if (change.IsDelete) _byKey.Remove(ev.Key);
                else
                {
                    _ordered.Add(change.Object);
                    _byKey[ev.Key] = change.Object;
                }
                _ring.Append(change);
                foreach (var w in Volatile.Read(ref _watchers)) w.Deliver(change);
            }
            Volatile.Write(ref _revision, ev.Revision);
        }
        finally { _lock.ExitWriteLock(); }
        // Listeners first: a write is acknowledged once the revision advances, and derived state (the RBAC
        // authorizer's policy) must already reflect it for the writer's next request.
        if (change is not null)
        {
            try { Applied?.Invoke(change); }
            catch (Exception e) { _logger.LogWarning("watch cache listener failed: {Error}", e.Message); }
        }
        SignalAdvanced();
    }

    private async Task BookmarkLoopAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(_options.BookmarkInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(ct)) SendBookmarks();
        }
        catch (OperationCanceledException) { }
    }

    // Under the read lock the feed cannot apply an event, so every event up to Revision was already delivered.
    internal void SendBookmarks()
    {
        _lock.EnterReadLock();
        try
        {
            var rev = _revision;
            foreach (var w in Volatile.Read(ref _watchers))
                if (w.Request.AllowBookmarks) w.Send(new WatchEvent(WatchEventType.Bookmark, null, rev));
        }
        finally { _lock.ExitReadLock(); }
    }
}
