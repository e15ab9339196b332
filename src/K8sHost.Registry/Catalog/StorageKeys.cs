using K8sHost.Registry.Contracts;

namespace K8sHost.Registry.Catalog;

/// <summary>
/// Storage key layout, the one of the system this replaces: k8s/{org}/{project}/{resource}/{namespace}/{name}.
/// Cluster-scoped kinds have no namespace segment. Non-core groups use "{group}/{resource}"-free layout by
/// qualifying the resource segment as "{plural}.{group}" so two groups never share a prefix.
/// Every prefix ends with '/', so "pods/a" never matches "pods/ab". A descriptor that shares another's storage uses
/// that descriptor's resource segment, so both versions see the same keys.
/// </summary>
public static class StorageKeys
{
    public const string Root = "k8s/";

    public static string TenantPrefix(Tenant t) => $"{Root}{t.Organization}/{t.Project}/";

    public static string ResourcePrefix(Tenant t, ResourceDescriptor d) => $"{TenantPrefix(t)}{d.StorageDescriptor.QualifiedPlural}/";

    /// <summary>Prefix for a list or watch: all namespaces when <paramref name="ns"/> is null.</summary>
    public static string ListPrefix(Tenant t, ResourceDescriptor d, string? ns) =>
        d.Namespaced && ns is not null ? $"{ResourcePrefix(t, d)}{ns}/" : ResourcePrefix(t, d);

    public static string ObjectKey(Tenant t, ResourceDescriptor d, string? ns, string name) =>
        d.Namespaced ? $"{ResourcePrefix(t, d)}{ns}/{name}" : $"{ResourcePrefix(t, d)}{name}";
}
