using K8sHost.Registry.Catalog;
using K8sHost.Resources.Common;

namespace K8sHost.Resources.Pods;

public static class PodKind
{
    public static ResourceDescriptor Descriptor { get; } = new()
    {
        Group = "",
        Version = "v1",
        Kind = "Pod",
        Plural = "pods",
        Singular = "pod",
        ShortNames = ["po"],
        Categories = ["all"],
        ModelType = typeof(k8s.Models.V1Pod),
        Subresources = ["status", "binding", "eviction", "log", "exec", "attach", "portforward"],
        Columns =
        [
            Col.Name,
            Col.S("Ready", "The aggregate readiness state of this pod for accepting traffic."),
            Col.S("Status", "The aggregate status of the containers in this pod."),
            Col.S("Restarts", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
            Col.Age,
            Col.S("IP", "IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.", 1),
            Col.S("Node", "NodeName is a request to schedule this pod onto a specific node.", 1),
            Col.S("Nominated Node", "nominatedNodeName is set when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods.", 1),
            Col.S("Readiness Gates", "If specified, all readiness gates will be evaluated for pod readiness.", 1),
        ],
        SelectableFields =
        [
            "spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "spec.hostNetwork",
            "status.phase", "status.podIP", "status.nominatedNodeName",
        ],
        Strategy = new PodStrategy(),
    };
}
