using K8sHost.Registry.Cache;

namespace K8sHost.Api.Metrics;

/// <summary>
/// apiserver_storage_objects{resource}: counted at scrape time from the watch cache, which holds every current object
/// of every tenant, so a scrape costs one pass over memory and no store round trip. Resources that emptied since the
/// last scrape drop back to 0 rather than keeping a stale count.
/// </summary>
public sealed class StorageObjectCounts(ApiMetrics metrics, WatchCache cache)
{
    private readonly object _gate = new();
    private HashSet<(string Resource, string Tenant)> _reported = [];

    public void Collect()
    {
        var counts = new Dictionary<(string Resource, string Tenant), int>();
        foreach (var ov in cache.Snapshot(Registry.Catalog.StorageKeys.Root))
        {
            if (cache.Keys.Parse(ov.Key) is not { } parsed) continue;
            var tenant = metrics.TenantLabels ? parsed.Tenant.Organization + "/" + parsed.Tenant.Project : "";
            var k = (parsed.Descriptor.QualifiedPlural, tenant);
            counts[k] = counts.GetValueOrDefault(k) + 1;
        }
        lock (_gate)
        {
            foreach (var stale in _reported)
                if (!counts.ContainsKey(stale)) Series(stale).Set(0);
            foreach (var (k, n) in counts) Series(k).Set(n);
            _reported = [.. _reported, .. counts.Keys];
        }
        metrics.StorageRevision.Set(cache.Revision);
    }

    private Prometheus.Gauge.Child Series((string Resource, string Tenant) k) =>
        metrics.TenantLabels ? metrics.StorageObjects.WithLabels(k.Resource, k.Tenant) : metrics.StorageObjects.WithLabels(k.Resource);
}
