using K8sHost.Registry.Catalog;
using K8sHost.Resources.Common;

namespace K8sHost.Resources.Nodes;

public static class NodeKind
{
    public static ResourceDescriptor Descriptor { get; } = new()
    {
        Group = "",
        Version = "v1",
        Kind = "Node",
        Plural = "nodes",
        Singular = "node",
        Namespaced = false,
        ShortNames = ["no"],
        ModelType = typeof(k8s.Models.V1Node),
        Subresources = ["status"],
        Columns =
        [
            Col.Name,
            Col.S("Status", "The status of the node"),
            Col.S("Roles", "The roles of the node"),
            Col.Age,
            Col.S("Version", "Kubelet Version reported by the node."),
            Col.S("Internal-IP", "List of addresses reachable to the node. Queried from cloud provider, if available.", 1),
            Col.S("External-IP", "List of addresses reachable to the node. Queried from cloud provider, if available.", 1),
            Col.S("OS-Image", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).", 1),
            Col.S("Kernel-Version", "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 1),
            Col.S("Container-Runtime", "Container runtime version reported by the node through runtime remote API (e.g. containerd://1.4.2).", 1),
        ],
        SelectableFields = ["spec.unschedulable"],
        Strategy = new NodeStrategy(),
    };
}
