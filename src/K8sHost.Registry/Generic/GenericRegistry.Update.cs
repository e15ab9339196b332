using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;
using K8sHost.Registry.Catalog;
using K8sHost.Registry.Contracts;
using K8sHost.Storage;

namespace K8sHost.Registry.Generic;

// PUT (main resource and /status), binding, and the GuaranteedUpdate loop every read-modify-write shares.
public sealed partial class GenericRegistry
{
    /// <summary>One attempt's outcome of a transform: the desired object, whether the caller pinned a resourceVersion, and
    /// the field manager to record as owner of what changed (null for apply, which records its own).</summary>
    private readonly record struct Desired(JsonObject Object, bool HasPrecondition, string? UpdateManager = null);

    public Task<WriteResult> UpdateAsync(RequestContext rc, ResourceDescriptor d, string? ns, string name, string? subresource, JsonObject obj,
        WriteOptions options, CancellationToken ct) =>
        Guard(async () =>
        {
            await _cache.EnsureReadyAsync(ct);
            CheckSubresource(d, subresource);
            var warnings = new List<string>(options.Warnings);
            NormalizeBody(d, ns, obj, new FieldValidationContext(options.FieldValidation, warnings));
            var bodyName = Meta.Str(obj, "metadata", "name");
            // As kube-apiserver: a PUT body must name the object it replaces (a missing name is a mismatch too).
            if (bodyName != name)
                throw ApiError.BadRequest($"the name of the object ({bodyName ?? ""}) does not match the name on the URL ({name})");
            Meta.Of(obj)["name"] = name;
            var precondition = Meta.Precondition(Meta.ResourceVersion(obj));
            var result = await GuaranteedUpdateAsync(rc, d, ns, name, subresource, options.DryRun, (current, currentRev) =>
            {
                if (precondition is long p && p != currentRev) throw Modified(d, name);
                return new Desired((JsonObject)obj.DeepClone(), precondition is not null, options.FieldManager);
            }, ct);
            return result with { Warnings = warnings };
        });

    public Task<WriteResult> BindAsync(RequestContext rc, ResourceDescriptor d, string? ns, string name, JsonObject binding, WriteOptions options,
        CancellationToken ct) =>
        Guard(async () =>
        {
            await _cache.EnsureReadyAsync(ct);
            if (d.Strategy is not IBindingStrategy binder) throw ApiError.MethodNotAllowed();
            return await GuaranteedUpdateAsync(rc, d, ns, name, "binding", options.DryRun, (current, _) =>
            {
                var next = (JsonObject)current.DeepClone();
                binder.ApplyBinding(Context(rc, d, options.DryRun), next, binding);
                return new Desired(next, false);
            }, ct);
        });

    private static void CheckSubresource(ResourceDescriptor d, string? subresource)
    {
        if (subresource is null) return;
        if (subresource != "status" || !d.Subresources.Contains("status"))
            throw ApiError.NotFound(d.Plural + "/" + subresource, d.Group, "");
    }

    /// <summary>
    /// apiserver's GuaranteedUpdate: read the current object, transform it, compare-and-swap; on a CAS conflict retry
    /// with the fresh object unless the caller pinned a resourceVersion (then 409). A no-op update writes nothing.
    /// An update that removes the last finalizer of an object being deleted deletes it.
    /// </summary>
    private async Task<WriteResult> GuaranteedUpdateAsync(RequestContext rc, ResourceDescriptor d, string? ns, string name, string? subresource,
        bool dryRun, Func<JsonObject, long, Desired> transform, CancellationToken ct, Func<Task<WriteResult>>? createIfMissing = null)
    {
        var key = Key(rc, d, ns, name);
        for (var attempt = 0; attempt < MaxConflictRetries; attempt++)
        {
            var got = await _store.GetAsync(key, ct);
            if (got.Status == StoreStatus.NotFound)
            {
                if (createIfMissing is null) throw NotFound(d, name);
                try { return await createIfMissing(); }
                catch (ApiError e) when (e.Reason == "AlreadyExists") { continue; } // created concurrently: update it instead
            }
            var kv = got.Value!;
            var current = FromStorage(d, Meta.Parse(kv.Value, kv.ModRevision));
            var desired = transform((JsonObject)current.DeepClone(), kv.ModRevision);
            var next = desired.Object;
            var ctx = Context(rc, d, dryRun);
            if (subresource == "binding") Validate(d, next, []);
            else PrepareUpdate(ctx, d, next, current, subresource);

            if (Meta.SameContent(next, current)) return new WriteResult(Version(d, key, current, kv.ModRevision), false, []);
            RecordUpdateManager(d, next, current, desired.UpdateManager);

            if (Meta.IsBeingDeleted(current) && Meta.Finalizers(next).Count == 0)
            {
                var removed = await FinishDeleteAsync(ctx, d, key, next, kv.ModRevision, dryRun, ct);
                if (removed is not null) return new WriteResult(removed, false, []);
                if (desired.HasPrecondition) throw Modified(d, name);
                continue;
            }

            if (dryRun) return new WriteResult(Version(d, key, next, kv.ModRevision), false, []);
            var written = await CompareAndSwapAsync(ctx, d, key, next, current, kv.ModRevision, ct);
            if (written is not null) return new WriteResult(written, false, []);
            if (desired.HasPrecondition) throw Modified(d, name);
        }
        throw Modified(d, name);
    }

    /// <summary>One CAS write with allocation around it; null when the object changed underneath (retry).</summary>
    private async Task<ObjectVersion?> CompareAndSwapAsync(StrategyContext ctx, ResourceDescriptor d, string key, JsonObject next, JsonObject current,
        long expected, CancellationToken ct)
    {
        var allocator = d.Strategy as IAllocatingStrategy;
        if (allocator is not null) await allocator.AllocateAsync(ctx, next, current, ct);
        StoreResult<long> res;
        var stored = StoredBytes(d, key, next, out var prepared);
        try
        {
            try { res = await _store.UpdateAsync(key, stored, expected, ct); }
            catch
            {
                if (allocator is not null) await allocator.ReleaseAsync(ctx, next, current, CancellationToken.None);
                throw;
            }
            if (res.IsOk)
            {
                // Values the old object held and the new one no longer uses (a node port dropped by a type change) go back
                // to the pool; the allocator frees only what `next` does not keep.
                if (allocator is not null) await allocator.ReleaseAsync(ctx, current, next, CancellationToken.None);
                return await AwaitCacheAsync(d, key, next, res.Value, ct);
            }
        }
        finally { Forget(prepared); }
        if (allocator is not null) await allocator.ReleaseAsync(ctx, next, current, CancellationToken.None);
        if (res.Status == StoreStatus.NotFound) throw NotFound(d, Meta.Str(next, "metadata", "name") ?? "");
        return null;
    }
}
