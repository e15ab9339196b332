using k8s.Models;

namespace K8sHost.ApiMachinery.Patch;

/// <summary>
/// How a field merges under strategic merge patch (the patchStrategy / patchMergeKey struct tags) and, where upstream
/// declares it, its list type (the +listType / +listMapKey markers) as served in OpenAPI.
/// </summary>
/// <param name="MergeKey">The element field that identifies list items; null for lists of primitives.</param>
/// <param name="Strategy">"merge", "replace", "retainKeys" or "merge,retainKeys".</param>
/// <param name="ListType">"map", "set" or "atomic"; null when upstream leaves the list untyped.</param>
/// <param name="ListMapKeys">The keys of a "map" list (x-kubernetes-list-map-keys); null otherwise.</param>
public sealed record PatchMeta(string? MergeKey, string Strategy, string? ListType = null, IReadOnlyList<string>? ListMapKeys = null)
{
    public bool Merges => Strategy.Split(',').Contains("merge");
}

/// <summary>
/// The one table of strategic-merge metadata, keyed by (model type, JSON field). Copied as facts from the
/// patchStrategy/patchMergeKey tags and +listType/+listMapKey markers of k8s.io/api; a list field missing here is
/// replaced as a whole, which is what apiserver does for lists without tags (tolerations, taints, envFrom, …).
/// The server's strategic merge and server-side apply read it, and OpenAPI serves it (x-kubernetes-patch-strategy,
/// -patch-merge-key, -list-type, -list-map-keys) so kubectl's client-side apply merges the same way.
/// </summary>
public static class PatchMergeKeys
{
    // Merge lists upstream leaves without a +listType marker.
    private static readonly PatchMeta MergeByName = new("name", "merge");
    private static readonly PatchMeta MergeByType = new("type", "merge");
    private static readonly PatchMeta MergeByIp = new("ip", "merge");

    // Merge lists upstream also marks +listType=map / set.
    private static readonly PatchMeta MapByName = MapBy("name");
    private static readonly PatchMeta MapByType = MapBy("type");
    private static readonly PatchMeta MergeSet = new(null, "merge", "set");

    /// <summary>A merge list keyed by <paramref name="mergeKey"/>, served as listType=map with the given map keys
    /// (just the merge key when none are given; upstream often adds "protocol" to port lists).</summary>
    private static PatchMeta MapBy(string mergeKey, params string[] mapKeys) =>
        new(mergeKey, "merge", "map", mapKeys.Length == 0 ? [mergeKey] : mapKeys);

    private static readonly Dictionary<(Type, string), PatchMeta> Table = new()
    {
        // metav1.ObjectMeta
        [(typeof(V1ObjectMeta), "finalizers")] = MergeSet,
        [(typeof(V1ObjectMeta), "ownerReferences")] = MapBy("uid"),

        // core/v1 PodSpec
        [(typeof(V1PodSpec), "volumes")] = new("name", "merge,retainKeys", "map", ["name"]),
        [(typeof(V1PodSpec), "initContainers")] = MapByName,
        [(typeof(V1PodSpec), "containers")] = MapByName,
        [(typeof(V1PodSpec), "ephemeralContainers")] = MapByName,
        [(typeof(V1PodSpec), "imagePullSecrets")] = MergeByName,
        [(typeof(V1PodSpec), "hostAliases")] = MapBy("ip"),
        [(typeof(V1PodSpec), "topologySpreadConstraints")] = MapBy("topologyKey", "topologyKey", "whenUnsatisfiable"),
        [(typeof(V1PodSpec), "schedulingGates")] = MapByName,
        [(typeof(V1PodSpec), "resourceClaims")] = new("name", "merge,retainKeys", "map", ["name"]),

        // core/v1 Container and EphemeralContainer (same common fields)
        [(typeof(V1Container), "ports")] = MapBy("containerPort", "containerPort", "protocol"),
        [(typeof(V1Container), "env")] = MergeByName,
        [(typeof(V1Container), "volumeMounts")] = new("mountPath", "merge"),
        [(typeof(V1Container), "volumeDevices")] = new("devicePath", "merge"),
        [(typeof(V1EphemeralContainer), "ports")] = MapBy("containerPort", "containerPort", "protocol"),
        [(typeof(V1EphemeralContainer), "env")] = MergeByName,
        [(typeof(V1EphemeralContainer), "volumeMounts")] = new("mountPath", "merge"),
        [(typeof(V1EphemeralContainer), "volumeDevices")] = new("devicePath", "merge"),

        // core/v1 statuses
        [(typeof(V1PodStatus), "conditions")] = MapByType,
        [(typeof(V1PodStatus), "podIPs")] = MergeByIp,
        [(typeof(V1PodStatus), "hostIPs")] = MergeByIp,
        [(typeof(V1PodStatus), "resourceClaimStatuses")] = new("name", "merge,retainKeys", "map", ["name"]),
        [(typeof(V1NodeStatus), "conditions")] = MapByType,
        [(typeof(V1NodeStatus), "addresses")] = MergeByType,
        [(typeof(V1NodeSpec), "podCIDRs")] = MergeSet,
        [(typeof(V1NamespaceStatus), "conditions")] = MergeByType,
        [(typeof(V1PersistentVolumeClaimStatus), "conditions")] = MergeByType,
        [(typeof(V1ReplicationControllerStatus), "conditions")] = MergeByType,
        [(typeof(V1ComponentStatus), "conditions")] = MergeByType,
        [(typeof(V1ServiceStatus), "conditions")] = MapByType,

        // core/v1 others
        [(typeof(V1ServiceSpec), "ports")] = MapBy("port", "port", "protocol"),
        [(typeof(V1ServiceAccount), "secrets")] = MergeByName,

        // apps/v1
        [(typeof(V1DeploymentSpec), "strategy")] = new(null, "retainKeys"),
        [(typeof(V1DeploymentStatus), "conditions")] = MergeByType,
        [(typeof(V1StatefulSetStatus), "conditions")] = MergeByType,
        [(typeof(V1DaemonSetStatus), "conditions")] = MergeByType,
        [(typeof(V1ReplicaSetStatus), "conditions")] = MergeByType,

        // batch/v1, autoscaling/v2, policy/v1
        [(typeof(V1JobStatus), "conditions")] = MergeByType,
        [(typeof(V2HorizontalPodAutoscalerStatus), "conditions")] = MapByType,
        [(typeof(V1PodDisruptionBudgetStatus), "conditions")] = MapByType,
    };

    /// <summary>The merge metadata for a field of a model type, or null when the field has no tags.</summary>
    public static PatchMeta? Lookup(Type modelType, string jsonField) =>
        Table.TryGetValue((modelType, jsonField), out var meta) ? meta : null;
}
