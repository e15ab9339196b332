using k8s.Models;

namespace K8sHost.ApiMachinery.Patch;

/// <summary>How a field merges under strategic merge patch: the patchStrategy / patchMergeKey struct tags.</summary>
/// <param name="MergeKey">The element field that identifies list items; null for lists of primitives.</param>
/// <param name="Strategy">"merge", "replace", "retainKeys" or "merge,retainKeys".</param>
public sealed record PatchMeta(string? MergeKey, string Strategy)
{
    public bool Merges => Strategy.Split(',').Contains("merge");
}

/// <summary>
/// The one table of strategic-merge metadata, keyed by (model type, JSON field). Copied as facts from the
/// patchStrategy/patchMergeKey tags of k8s.io/api; a list field missing here is replaced as a whole, which is
/// what apiserver does for lists without tags (tolerations, taints, envFrom, …).
/// </summary>
public static class PatchMergeKeys
{
    private static readonly PatchMeta MergeByName = new("name", "merge");
    private static readonly PatchMeta MergeByType = new("type", "merge");
    private static readonly PatchMeta MergeByIp = new("ip", "merge");
    private static readonly PatchMeta MergePrimitives = new(null, "merge");

    private static readonly Dictionary<(Type, string), PatchMeta> Table = new()
    {
        // metav1.ObjectMeta
        [(typeof(V1ObjectMeta), "finalizers")] = MergePrimitives,
        [(typeof(V1ObjectMeta), "ownerReferences")] = new("uid", "merge"),

        // core/v1 PodSpec
        [(typeof(V1PodSpec), "volumes")] = new("name", "merge,retainKeys"),
        [(typeof(V1PodSpec), "initContainers")] = MergeByName,
        [(typeof(V1PodSpec), "containers")] = MergeByName,
        [(typeof(V1PodSpec), "ephemeralContainers")] = MergeByName,
        [(typeof(V1PodSpec), "imagePullSecrets")] = MergeByName,
        [(typeof(V1PodSpec), "hostAliases")] = MergeByIp,
        [(typeof(V1PodSpec), "topologySpreadConstraints")] = new("topologyKey", "merge"),
        [(typeof(V1PodSpec), "schedulingGates")] = MergeByName,
        [(typeof(V1PodSpec), "resourceClaims")] = new("name", "merge,retainKeys"),

        // core/v1 Container and EphemeralContainer (same common fields)
        [(typeof(V1Container), "ports")] = new("containerPort", "merge"),
        [(typeof(V1Container), "env")] = MergeByName,
        [(typeof(V1Container), "volumeMounts")] = new("mountPath", "merge"),
        [(typeof(V1Container), "volumeDevices")] = new("devicePath", "merge"),
        [(typeof(V1EphemeralContainer), "ports")] = new("containerPort", "merge"),
        [(typeof(V1EphemeralContainer), "env")] = MergeByName,
        [(typeof(V1EphemeralContainer), "volumeMounts")] = new("mountPath", "merge"),
        [(typeof(V1EphemeralContainer), "volumeDevices")] = new("devicePath", "merge"),

        // core/v1 statuses
        [(typeof(V1PodStatus), "conditions")] = MergeByType,
        [(typeof(V1PodStatus), "podIPs")] = MergeByIp,
        [(typeof(V1PodStatus), "hostIPs")] = MergeByIp,
        [(typeof(V1PodStatus), "resourceClaimStatuses")] = new("name", "merge,retainKeys"),
        [(typeof(V1NodeStatus), "conditions")] = MergeByType,
        [(typeof(V1NodeStatus), "addresses")] = MergeByType,
        [(typeof(V1NodeSpec), "podCIDRs")] = MergePrimitives,
        [(typeof(V1NamespaceStatus), "conditions")] = MergeByType,
        [(typeof(V1PersistentVolumeClaimStatus), "conditions")] = MergeByType,
        [(typeof(V1ReplicationControllerStatus), "conditions")] = MergeByType,
        [(typeof(V1ComponentStatus), "conditions")] = MergeByType,
        [(typeof(V1ServiceStatus), "conditions")] = MergeByType,

        // core/v1 others
        [(typeof(V1ServiceSpec), "ports")] = new("port", "merge"),
        [(typeof(V1ServiceAccount), "secrets")] = MergeByName,

        // apps/v1
        [(typeof(V1DeploymentSpec), "strategy")] = new(null, "retainKeys"),
        [(typeof(V1DeploymentStatus), "conditions")] = MergeByType,
        [(typeof(V1StatefulSetStatus), "conditions")] = MergeByType,
        [(typeof(V1DaemonSetStatus), "conditions")] = MergeByType,
        [(typeof(V1ReplicaSetStatus), "conditions")] = MergeByType,

        // batch/v1, autoscaling/v2, policy/v1
        [(typeof(V1JobStatus), "conditions")] = MergeByType,
        [(typeof(V2HorizontalPodAutoscalerStatus), "conditions")] = MergeByType,
        [(typeof(V1PodDisruptionBudgetStatus), "conditions")] = MergeByType,
    };

    /// <summary>The merge metadata for a field of a model type, or null when the field has no tags.</summary>
    public static PatchMeta? Lookup(Type modelType, string jsonField) =>
        Table.TryGetValue((modelType, jsonField), out var meta) ? meta : null;
}
