using System.Collections.Concurrent;
using K8sHost.Registry.Cache;
using K8sHost.Registry.Catalog;
using K8sHost.Registry.Contracts;
using K8sHost.Resources.Rbac;

namespace K8sHost.Api.Auth.Rbac;

/// <summary>
/// Each tenant's RBAC objects as the authorizer reads them: built from the registry's watch cache (no store round
/// trip) on first use and dropped when the cache applies a change to any Role, ClusterRole or binding of that
/// tenant. The cache raises its change event before a write is acknowledged, so a client that has just created a
/// binding is authorized by it on its next request.
/// </summary>
public sealed class RbacPolicySource : IDisposable
{
    private readonly WatchCache _cache;
    private readonly ResourceDescriptor? _roles, _clusterRoles, _roleBindings, _clusterRoleBindings;
    private readonly ConcurrentDictionary<Tenant, Entry> _tenants = new();

    public RbacPolicySource(WatchCache cache, ResourceCatalog catalog)
    {
        _cache = cache;
        _roles = catalog.Find(RbacNames.Group, "v1", "roles");
        _clusterRoles = catalog.Find(RbacNames.Group, "v1", "clusterroles");
        _roleBindings = catalog.Find(RbacNames.Group, "v1", "rolebindings");
        _clusterRoleBindings = catalog.Find(RbacNames.Group, "v1", "clusterrolebindings");
        _cache.Applied += OnApplied;
    }

    /// <summary>Raised (on the cache's thread; keep it quick) when a ClusterRole of a tenant changed.</summary>
    public event Action<Tenant>? ClusterRolesChanged;

    public RbacSnapshot Get(Tenant tenant)
    {
        var e = _tenants.GetOrAdd(tenant, _ => new Entry());
        if (Volatile.Read(ref e.Snapshot) is { } s) return s;
        lock (e)
        {
            if (e.Snapshot is { } again) return again;
            var version = Volatile.Read(ref e.Version);
            var built = Build(tenant);
            if (Volatile.Read(ref e.Version) == version) Volatile.Write(ref e.Snapshot, built);
            return built;
        }
    }

    public void Dispose() => _cache.Applied -= OnApplied;

    private void OnApplied(CachedEvent ev)
    {
        // Cheap filter first: every RBAC key has the group in its resource segment.
        if (!ev.Key.Contains("." + RbacNames.Group + "/", StringComparison.Ordinal)) return;
        if (_cache.Keys.Parse(ev.Key) is not { } key || key.Descriptor.Group != RbacNames.Group) return;
        if (_tenants.TryGetValue(key.Tenant, out var e))
        {
            Interlocked.Increment(ref e.Version);
            Volatile.Write(ref e.Snapshot, null);
        }
        if (key.Descriptor.Plural == "clusterroles") ClusterRolesChanged?.Invoke(key.Tenant);
    }

    private RbacSnapshot Build(Tenant tenant)
    {
        var clusterRoles = new Dictionary<string, IReadOnlyList<PolicyRule>>(StringComparer.Ordinal);
        foreach (var ov in Objects(tenant, _clusterRoles)) clusterRoles[ov.Name] = PolicyRule.ListFrom(ov.ToJsonObject());
        var roles = new Dictionary<(string, string), IReadOnlyList<PolicyRule>>();
        foreach (var ov in Objects(tenant, _roles)) roles[(ov.Namespace ?? "", ov.Name)] = PolicyRule.ListFrom(ov.ToJsonObject());
        var crbs = Objects(tenant, _clusterRoleBindings).Select(ov => Binding.From(ov.ToJsonObject(), "")).ToList();
        var rbs = new Dictionary<string, List<Binding>>(StringComparer.Ordinal);
        foreach (var ov in Objects(tenant, _roleBindings))
        {
            var ns = ov.Namespace ?? "";
            if (!rbs.TryGetValue(ns, out var list)) rbs[ns] = list = [];
            list.Add(Binding.From(ov.ToJsonObject(), ns));
        }
        return new RbacSnapshot(clusterRoles, roles, crbs, rbs);
    }

    private List<ObjectVersion> Objects(Tenant tenant, ResourceDescriptor? d) =>
        d is null ? [] : _cache.Snapshot(StorageKeys.ResourcePrefix(tenant, d));

    private sealed class Entry
    {
        public RbacSnapshot? Snapshot;
        public long Version;
    }
}
