using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;
using K8sHost.ApiMachinery.Time;
using K8sHost.Registry.Catalog;
using K8sHost.Registry.Contracts;
using K8sHost.Storage;

namespace K8sHost.Registry.Generic;

// DELETE and DELETE collection: preconditions, finalizers (deletionTimestamp instead of removal), deferred deletion
// strategies (namespaces), allocation release.
public sealed partial class GenericRegistry
{
    public Task<DeleteResult> DeleteAsync(RequestContext rc, ResourceDescriptor d, string? ns, string name, DeleteOptions options, CancellationToken ct) =>
        Guard(async () =>
        {
            await _cache.EnsureReadyAsync(ct);
            return await DeleteOneAsync(rc, d, ns, name, options, ct);
        });

    public Task<ListResult> DeleteCollectionAsync(RequestContext rc, ResourceDescriptor d, string? ns, ListOptions listOptions, DeleteOptions options,
        CancellationToken ct) =>
        Guard(async () =>
        {
            var list = await ListAsync(rc, d, ns, listOptions with { Limit = 0, Continue = null }, ct);
            var deleted = new List<ObjectVersion>(list.Items.Count);
            foreach (var item in list.Items)
            {
                try { deleted.Add((await DeleteOneAsync(rc, d, item.Namespace, item.Name, options, ct)).Object); }
                catch (ApiError e) when (e.Code == 404) { } // deleted concurrently: that is what we wanted
            }
            return new ListResult(deleted, _cache.Revision, null, null);
        });

    private async Task<DeleteResult> DeleteOneAsync(RequestContext rc, ResourceDescriptor d, string? ns, string name, DeleteOptions options,
        CancellationToken ct)
    {
        var key = Key(rc, d, ns, name);
        var pinned = !string.IsNullOrEmpty(options.PreconditionResourceVersion) || !string.IsNullOrEmpty(options.PreconditionUid);
        for (var attempt = 0; attempt < MaxConflictRetries; attempt++)
        {
            var got = await _store.GetAsync(key, ct);
            if (got.Status == StoreStatus.NotFound) throw NotFound(d, name);
            var kv = got.Value!;
            var current = FromStorage(d, Meta.Parse(kv.Value, kv.ModRevision));
            CheckPreconditions(d, name, current, options);
            var ctx = Context(rc, d, options.DryRun);

            var kept = (JsonObject)current.DeepClone();
            var keep = d.Strategy is IDeletionStrategy deferred && deferred.BeginDelete(ctx, kept);
            if (!keep && Meta.Finalizers(current).Count > 0)
            {
                keep = true;
                var meta = Meta.Of(kept);
                if (!Meta.IsBeingDeleted(kept))
                {
                    meta["deletionTimestamp"] = KubeTime.Format(_clock.GetUtcNow());
                    meta["deletionGracePeriodSeconds"] = options.GracePeriodSeconds ?? 0;
                }
            }
            if (keep)
            {
                if (Meta.SameContent(kept, current)) return new DeleteResult(Version(d, key, current, kv.ModRevision), false);
                if (options.DryRun) return new DeleteResult(Version(d, key, kept, kv.ModRevision), false);
                var res = await _store.UpdateAsync(key, Meta.ToStoredBytes(ToStorage(d, kept)), kv.ModRevision, ct);
                if (res.IsOk)
                {
                    return new DeleteResult(await AwaitCacheAsync(d, key, kept, res.Value, ct), false);
                }
                if (res.Status == StoreStatus.NotFound) throw NotFound(d, name);
                if (pinned) throw Modified(d, name);
                continue;
            }

            var removed = await FinishDeleteAsync(ctx, d, key, current, kv.ModRevision, options.DryRun, ct);
            if (removed is not null) return new DeleteResult(removed, true);
            if (pinned) throw Modified(d, name);
        }
        throw Modified(d, name);
    }

    private static void CheckPreconditions(ResourceDescriptor d, string name, JsonObject current, DeleteOptions options)
    {
        var uid = Meta.Str(current, "metadata", "uid");
        if (!string.IsNullOrEmpty(options.PreconditionUid) && options.PreconditionUid != uid)
            throw ApiError.Conflict(d.Plural, d.Group, name,
                $"Precondition failed: UID in precondition: {options.PreconditionUid}, UID in object meta: {uid}");
        var rv = Meta.ResourceVersion(current);
        if (!string.IsNullOrEmpty(options.PreconditionResourceVersion) && options.PreconditionResourceVersion != rv)
            throw ApiError.Conflict(d.Plural, d.Group, name,
                $"Precondition failed: ResourceVersion in precondition: {options.PreconditionResourceVersion}, ResourceVersion in object meta: {rv}");
    }

    /// <summary>Removes the key if it is still at <paramref name="expected"/>; returns the last version (stamped with the
    /// delete's revision) or null when it changed underneath. Releases allocations of the removed object.</summary>
    private async Task<ObjectVersion?> FinishDeleteAsync(StrategyContext ctx, ResourceDescriptor d, string key, JsonObject last, long expected,
        bool dryRun, CancellationToken ct)
    {
        if (dryRun) return Version(d, key, last, expected);
        var res = await _store.DeleteAsync(key, expected, ct);
        if (res.Status == StoreStatus.NotFound) throw NotFound(d, Meta.Str(last, "metadata", "name") ?? "");
        if (!res.IsOk) return null;
        if (d.Strategy is IAllocatingStrategy allocator) await allocator.ReleaseAsync(ctx, last, null, CancellationToken.None);
        // The cache holds no version of a deleted key; wait for it anyway so a following GET says 404.
        await _cache.WaitForRevisionAsync(res.Value, _cache.Options.WaitTimeout, ct);
        return Version(d, key, last, res.Value);
    }
}
