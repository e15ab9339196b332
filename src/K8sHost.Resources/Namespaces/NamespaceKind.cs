using K8sHost.Registry.Catalog;
using K8sHost.Resources.Common;

namespace K8sHost.Resources.Namespaces;

public static class NamespaceKind
{
    public static ResourceDescriptor Descriptor { get; } = new()
    {
        Group = "",
        Version = "v1",
        Kind = "Namespace",
        Plural = "namespaces",
        Singular = "namespace",
        Namespaced = false,
        ShortNames = ["ns"],
        ModelType = typeof(k8s.Models.V1Namespace),
        Subresources = ["status"],
        // kube-apiserver serves no deletecollection on namespaces.
        Verbs = ["create", "delete", "get", "list", "patch", "update", "watch"],
        Columns = [Col.Name, Col.S("Status", "The status of the namespace"), Col.Age],
        SelectableFields = ["status.phase"],
        Strategy = new NamespaceStrategy(),
    };
}
