using K8sHost.Registry.Catalog;

namespace K8sHost.Api.Metrics;

/// <summary>What a resource route serves, in catalog terms.</summary>
public enum RouteShape
{
    /// <summary>A namespaced collection in one namespace (…/namespaces/{ns}/pods).</summary>
    NamespaceCollection,

    /// <summary>A cluster-scoped collection, or a namespaced one across all namespaces (…/pods).</summary>
    ClusterCollection,

    /// <summary>One object, or one of its subresources (…/pods/{name}[/status]).</summary>
    Item,
}

/// <summary>
/// Endpoint metadata attached to every resource route when the catalog's routes are mapped, so request metrics take
/// group, version, resource, subresource and scope from the resolved route rather than re-parsing the path.
/// It also holds the route's cached metric children (see <see cref="RequestMetricChildren"/>), so recording a request
/// costs a dictionary lookup on a handful of entries.
/// </summary>
public sealed class ResourceRouteMetadata(ResourceDescriptor descriptor, RouteShape shape, string? subresource, bool legacyWatch)
{
    public ResourceDescriptor Descriptor { get; } = descriptor;
    public RouteShape Shape { get; } = shape;
    public string Subresource { get; } = subresource ?? "";

    /// <summary>A route under /watch/ (the deprecated watch paths): every GET on it is a WATCH.</summary>
    public bool LegacyWatch { get; } = legacyWatch;

    /// <summary>kube-apiserver's scope label: "resource" for a named object, "namespace" or "cluster" for collections.</summary>
    public string Scope => Shape switch
    {
        RouteShape.Item => "resource",
        RouteShape.NamespaceCollection => "namespace",
        _ => "cluster",
    };

    internal RequestMetricChildren Children { get; } = new();
}
