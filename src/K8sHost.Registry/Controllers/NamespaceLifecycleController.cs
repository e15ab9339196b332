using System.Text.Json.Nodes;
using System.Threading.Channels;
using K8sHost.ApiMachinery.Errors;
using K8sHost.Registry.Cache;
using K8sHost.Registry.Catalog;
using K8sHost.Registry.Contracts;
using K8sHost.Registry.Generic;
using K8sHost.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace K8sHost.Registry.Controllers;

/// <summary>
/// Finishes namespace deletion, as kube-controller-manager's namespace controller does: for a namespace in phase
/// Terminating it deletes every namespaced object in it (all namespaced kinds of the catalog), then removes the
/// "kubernetes" finalizer from spec.finalizers and deletes the namespace. Woken by cache events, with a periodic
/// resync for objects that were held back by their own finalizers.
/// </summary>
public sealed class NamespaceLifecycleController(WatchCache cache, IResourceRegistry registry, IResourceStore store, ResourceCatalog catalog,
    ILogger<NamespaceLifecycleController> logger) : BackgroundService
{
    public const string KubernetesFinalizer = "kubernetes";

    private readonly Channel<string> _queue = Channel.CreateBounded<string>(new BoundedChannelOptions(1024)
    {
        FullMode = BoundedChannelFullMode.DropOldest,
    });

    /// <summary>How often all terminating namespaces are looked at again. Tests lower it.</summary>
    public TimeSpan ResyncInterval { get; set; } = TimeSpan.FromSeconds(5);

    private ResourceDescriptor? NamespaceDescriptor => catalog.Namespaces;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var nsDescriptor = NamespaceDescriptor;
        if (nsDescriptor is null) return;
        cache.Applied += OnApplied;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await cache.EnsureReadyAsync(stoppingToken);
                    EnqueueAllTerminating(nsDescriptor);
                    using var resync = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                    resync.CancelAfter(ResyncInterval);
                    while (await _queue.Reader.WaitToReadAsync(resync.Token))
                        while (_queue.Reader.TryRead(out var key)) await ReconcileAsync(nsDescriptor, key, stoppingToken);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested) { } // resync tick
                catch (ApiError e) { logger.LogDebug("namespace controller: {Error}", e.Message); await Task.Delay(ResyncInterval, stoppingToken); }
            }
        }
        catch (OperationCanceledException) { }
        finally { cache.Applied -= OnApplied; }
    }

    private void OnApplied(CachedEvent e)
    {
        if (!e.IsDelete && cache.Keys.Parse(e.Key)?.Descriptor == catalog.Namespaces && catalog.Namespaces is not null && IsTerminating(e.Object.ToJsonObject()))
            _queue.Writer.TryWrite(e.Key);
    }

    private void EnqueueAllTerminating(ResourceDescriptor nsDescriptor)
    {
        foreach (var ov in cache.Snapshot(StorageKeys.Root))
            if (cache.Keys.Parse(ov.Key)?.Descriptor == nsDescriptor && IsTerminating(ov.ToJsonObject()))
                _queue.Writer.TryWrite(ov.Key);
    }

    private static bool IsTerminating(JsonObject ns) =>
        ns["status"]?["phase"]?.GetValue<string>() == "Terminating" || ns["metadata"]?["deletionTimestamp"] is not null;

    /// <summary>One pass over one namespace; leftovers (objects with finalizers) wait for the next resync.</summary>
    internal async Task ReconcileAsync(ResourceDescriptor nsDescriptor, string key, CancellationToken ct)
    {
        var parsed = cache.Keys.Parse(key);
        var current = cache.TryGet(key);
        if (parsed is null || current is null || !IsTerminating(current.ToJsonObject())) return;
        var rc = new RequestContext(parsed.Tenant, RequestContext.System.User);
        var ns = parsed.Name;
        var remaining = 0;
        // One pass per stored resource: a version sharing another's storage would only list the same keys again.
        foreach (var d in catalog.All.Where(d => d.Namespaced && d.SharesStorageWith is null).DistinctBy(d => d.QualifiedPlural))
        {
            foreach (var item in cache.Snapshot(StorageKeys.ListPrefix(parsed.Tenant, d, ns)))
            {
                try
                {
                    var result = await registry.DeleteAsync(rc, d, ns, item.Name, new DeleteOptions { PropagationPolicy = "Background" }, ct);
                    if (!result.Removed) remaining++;
                }
                catch (ApiError e) when (e.Code == 404) { }
                catch (ApiError e)
                {
                    remaining++;
                    logger.LogWarning("namespace {Namespace}: deleting {Resource}/{Name} failed: {Error}", ns, d.QualifiedPlural, item.Name, e.Message);
                }
            }
        }
        if (remaining > 0) return;
        await FinalizeAsync(key, ct);
    }

    // Drops the "kubernetes" spec finalizer and removes the namespace once nothing else holds it.
    private async Task FinalizeAsync(string key, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var got = await store.GetAsync(key, ct);
            if (!got.IsOk) return;
            var kv = got.Value!;
            var obj = JsonNode.Parse(kv.Value)!.AsObject();
            if (obj["spec"]?["finalizers"] is JsonArray specFinalizers &&
                specFinalizers.FirstOrDefault(f => f?.GetValue<string>() == KubernetesFinalizer) is { } entry)
            {
                specFinalizers.Remove(entry);
                var res = await store.UpdateAsync(key, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(obj, ServedJson.Options), kv.ModRevision, ct);
                if (!res.IsOk) continue;
                kv = kv with { ModRevision = res.Value };
            }
            var specLeft = (obj["spec"]?["finalizers"] as JsonArray)?.Count ?? 0;
            var metaLeft = (obj["metadata"]?["finalizers"] as JsonArray)?.Count ?? 0;
            if (specLeft > 0 || metaLeft > 0) return;
            var deleted = await store.DeleteAsync(key, kv.ModRevision, ct);
            if (deleted.IsOk || deleted.Status == StoreStatus.NotFound) return;
        }
    }
}
