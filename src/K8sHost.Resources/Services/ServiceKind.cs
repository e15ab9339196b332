using K8sHost.Registry.Catalog;
using K8sHost.Resources.Common;

namespace K8sHost.Resources.Services;

public static class ServiceKind
{
    public static ResourceDescriptor Descriptor { get; } = new()
    {
        Group = "",
        Version = "v1",
        Kind = "Service",
        Plural = "services",
        Singular = "service",
        ShortNames = ["svc"],
        Categories = ["all"],
        ModelType = typeof(k8s.Models.V1Service),
        Subresources = ["status"],
        Columns =
        [
            Col.Name,
            Col.S("Type", "type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer."),
            Col.S("Cluster-IP", "clusterIP is the IP address of the service and is usually assigned randomly."),
            Col.S("External-IP", "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service."),
            Col.S("Port(s)", "The list of ports that are exposed by this service."),
            Col.Age,
            Col.S("Selector", "Route service traffic to pods with label keys and values matching this selector.", 1),
        ],
        SelectableFields = ["spec.clusterIP", "spec.type"],
        Strategy = new ServiceStrategy(),
    };
}
