using System.Collections;
using System.Reflection;
using System.Text.RegularExpressions;

namespace K8sHost.Api.OpenApi;

/// <summary>
/// Names a KubernetesClient model type the way kube-apiserver names its OpenAPI schema
/// (V1Pod → io.k8s.api.core.v1.Pod, V1ObjectMeta → io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta).
/// Kinds carry their group in KubeGroup; every other type (PodSpec, LeaseSpec, …) takes the group of the first kind
/// that reaches it, walking kinds with the core group first, because shared types live in core or meta upstream.
/// </summary>
public static partial class KubernetesSchemaNames
{
    private const string MetaPackage = "io.k8s.apimachinery.pkg.apis.meta.v1";

    // meta/v1 types have no group of their own in the client; upstream they live in apimachinery.
    private static readonly HashSet<string> MetaTypes =
    [
        "APIGroup", "APIGroupList", "APIResource", "APIResourceList", "APIVersions", "Condition", "DeleteOptions",
        "FieldSelectorRequirement", "GroupVersionForDiscovery", "LabelSelector", "LabelSelectorRequirement", "ListMeta",
        "ManagedFieldsEntry", "ObjectMeta", "OwnerReference", "Patch", "Preconditions", "ServerAddressByClientCIDR",
        "Status", "StatusCause", "StatusDetails", "WatchEvent",
    ];

    private static readonly Lazy<Dictionary<Type, string>> Owners = new(ComputeOwners);

    /// <summary>The Kubernetes schema name of a k8s.Models type, or null for any other type.</summary>
    public static string? For(Type type)
    {
        if (type.Namespace != "k8s.Models" || type.IsEnum) return null;
        switch (type.Name)
        {
            case "IntOrString": return "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
            case "ResourceQuantity": return "io.k8s.apimachinery.pkg.api.resource.Quantity";
            case "VersionInfo": return "io.k8s.apimachinery.pkg.version.Info";
        }
        var m = VersionedName().Match(type.Name);
        if (!m.Success) return "io.k8s.api.core.v1." + type.Name;
        var version = "v" + m.Groups["ver"].Value;
        var name = m.Groups["name"].Value;
        if (m.Groups["pkg"].Success)
            return $"io.k8s.api.{m.Groups["pkg"].Value.ToLowerInvariant()}.{version}.{name}";
        if (version == "v1" && MetaTypes.Contains(name)) return $"{MetaPackage}.{name}";
        var group = GroupOf(type) ?? Owners.Value.GetValueOrDefault(type) ?? "";
        return $"{PackagePrefix(group)}.{version}.{name}";
    }

    /// <summary>The Go package prefix of an API group, as the upstream schema names spell it.</summary>
    public static string PackagePrefix(string group) => group switch
    {
        "" => "io.k8s.api.core",
        "apiextensions.k8s.io" => "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions",
        "apiregistration.k8s.io" => "io.k8s.kube-aggregator.pkg.apis.apiregistration",
        "internal.apiserver.k8s.io" => "io.k8s.api.apiserverinternal",
        _ => "io.k8s.api." + group.Split('.')[0],
    };

    /// <summary>(group, version, kind) from the model's KubeGroup/KubeApiVersion/KubeKind constants, if it has them.</summary>
    public static (string Group, string Version, string Kind)? KindOf(Type type)
    {
        var kind = Constant(type, "KubeKind");
        var version = Constant(type, "KubeApiVersion");
        if (kind is null || version is null) return null;
        return (Constant(type, "KubeGroup") ?? "", version, kind);
    }

    private static string? GroupOf(Type type) => KindOf(type)?.Group;

    private static string? Constant(Type type, string name) =>
        type.GetField(name, BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } f ? f.GetRawConstantValue() as string : null;

    private static Dictionary<Type, string> ComputeOwners()
    {
        var owners = new Dictionary<Type, string>();
        var kinds = typeof(k8s.Models.V1Pod).Assembly.GetTypes()
            .Select(t => (Type: t, Kind: t.Namespace == "k8s.Models" ? KindOf(t) : null))
            .Where(x => x.Kind is not null)
            .OrderBy(x => x.Kind!.Value.Group.Length == 0 ? 0 : 1)
            .ThenBy(x => x.Kind!.Value.Group, StringComparer.Ordinal)
            .ThenBy(x => x.Type.Name, StringComparer.Ordinal);
        var queue = new Queue<(Type, string)>();
        foreach (var (t, k) in kinds) queue.Enqueue((t, k!.Value.Group));
        while (queue.Count > 0)
        {
            var (type, group) = queue.Dequeue();
            if (!owners.TryAdd(type, group)) continue;
            foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                foreach (var inner in ModelTypesIn(p.PropertyType))
                    if (!owners.ContainsKey(inner) && GroupOf(inner) is null) queue.Enqueue((inner, group));
        }
        return owners;
    }

    private static IEnumerable<Type> ModelTypesIn(Type t)
    {
        t = Nullable.GetUnderlyingType(t) ?? t;
        if (t.Namespace == "k8s.Models" && !t.IsEnum) { yield return t; yield break; }
        if (t.IsGenericType && typeof(IEnumerable).IsAssignableFrom(t))
            foreach (var arg in t.GetGenericArguments())
                foreach (var inner in ModelTypesIn(arg)) yield return inner;
    }

    // V1Pod, V1beta1Foo, Corev1EndpointPort (a group-qualified name the client uses when two groups share a type name).
    [GeneratedRegex("^(?:(?<pkg>[A-Z][a-z]+)v|V)(?<ver>[0-9]+(?:alpha[0-9]+|beta[0-9]+)?)(?<name>[A-Z].*)$")]
    private static partial Regex VersionedName();
}
