using K8sHost.Registry.Catalog;

namespace K8sHost.Resources;

/// <summary>
/// Every kind this project serves itself, in discovery order: core/v1 first (pods, services, nodes, namespaces lead,
/// as kube-apiserver lists them and as `kubectl get all` walks them), then the other groups.
/// </summary>
public static class BuiltInKinds
{
    public static IReadOnlyList<ResourceDescriptor> All() =>
    [
        Pods.PodKind.Descriptor,
        Services.ServiceKind.Descriptor,
        Nodes.NodeKind.Descriptor,
        Namespaces.NamespaceKind.Descriptor,
        ConfigMaps.ConfigMapKind.Descriptor,
        Secrets.SecretKind.Descriptor,
        ServiceAccounts.ServiceAccountKind.Descriptor,
        Events.EventKinds.Core,
        Endpoints.EndpointsKind.Descriptor,
        Events.EventKinds.EventsV1,
        EndpointSlices.EndpointSliceKind.Descriptor,
        Leases.LeaseKind.Descriptor,
        .. Rbac.RbacKinds.All,
    ];
}
