using System.Reflection;
using k8s.Models;
using K8sHost.Registry.Catalog;

namespace K8sHost.Testing.Http;

/// <summary>Where a kind lives on the REST API: /api/v1/… for the core group, /apis/GROUP/VERSION/… otherwise.</summary>
internal sealed record ResourcePath(string Group, string Version, string Plural)
{
    public string Collection(string? ns) =>
        (Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}")
        + (ns is null ? "" : $"/namespaces/{Uri.EscapeDataString(ns)}") + "/" + Plural;

    public string Item(string? ns, string name) => Collection(ns) + "/" + Uri.EscapeDataString(name);

    /// <summary>The path of a typed SDK model (V1ConfigMap, V1Deployment, …), from its KubernetesEntity attribute.</summary>
    public static ResourcePath Of<T>()
    {
        var entity = typeof(T).GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new ArgumentException($"{typeof(T).Name} has no [KubernetesEntity] attribute: use a KubernetesClient model type");
        return new ResourcePath(entity.Group ?? "", entity.ApiVersion, entity.PluralName);
    }

    /// <summary>The path of apiVersion/kind as this server serves it (from its catalog), and whether it is namespaced.</summary>
    public static (ResourcePath Path, bool Namespaced) Of(ResourceCatalog catalog, string apiVersion, string kind)
    {
        var slash = apiVersion.IndexOf('/');
        var (group, version) = slash < 0 ? ("", apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
        var d = catalog.FindKind(group, version, kind)
            ?? throw new InvalidOperationException($"the server does not serve kind \"{kind}\" in version \"{apiVersion}\"");
        return (new ResourcePath(d.Group, d.Version, d.Plural), d.Namespaced);
    }
}
