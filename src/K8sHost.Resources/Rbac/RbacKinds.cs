using K8sHost.Registry.Catalog;
using K8sHost.Resources.Common;

namespace K8sHost.Resources.Rbac;

/// <summary>The four rbac.authorization.k8s.io/v1 kinds, with kube-apiserver's printer columns.</summary>
public static class RbacKinds
{
    private static readonly PrinterColumn CreatedAt = new("Created At", Type: "date",
        Description: Col.Age.Description);

    private static readonly IReadOnlyList<PrinterColumn> BindingColumns =
    [
        Col.Name,
        Col.S("Role", "RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error. This field is immutable."),
        Col.Age,
        Col.S("Users", "Users in the roleBinding", priority: 1),
        Col.S("Groups", "Groups in the roleBinding", priority: 1),
        Col.S("ServiceAccounts", "ServiceAccounts in the roleBinding", priority: 1),
    ];

    public static ResourceDescriptor Role { get; } = new()
    {
        Group = RbacNames.Group,
        Version = "v1",
        Kind = "Role",
        Plural = "roles",
        Singular = "role",
        ModelType = typeof(k8s.Models.V1Role),
        Columns = [Col.Name, CreatedAt],
        Strategy = new RoleStrategy(namespaced: true),
    };

    public static ResourceDescriptor ClusterRole { get; } = new()
    {
        Group = RbacNames.Group,
        Version = "v1",
        Kind = "ClusterRole",
        Plural = "clusterroles",
        Singular = "clusterrole",
        Namespaced = false,
        ModelType = typeof(k8s.Models.V1ClusterRole),
        Columns = [Col.Name, CreatedAt],
        Strategy = new RoleStrategy(namespaced: false),
    };

    public static ResourceDescriptor RoleBinding { get; } = new()
    {
        Group = RbacNames.Group,
        Version = "v1",
        Kind = "RoleBinding",
        Plural = "rolebindings",
        Singular = "rolebinding",
        ModelType = typeof(k8s.Models.V1RoleBinding),
        Columns = BindingColumns,
        Strategy = new BindingStrategy(clusterBinding: false),
    };

    public static ResourceDescriptor ClusterRoleBinding { get; } = new()
    {
        Group = RbacNames.Group,
        Version = "v1",
        Kind = "ClusterRoleBinding",
        Plural = "clusterrolebindings",
        Singular = "clusterrolebinding",
        Namespaced = false,
        ModelType = typeof(k8s.Models.V1ClusterRoleBinding),
        Columns = BindingColumns,
        Strategy = new BindingStrategy(clusterBinding: true),
    };

    public static IReadOnlyList<ResourceDescriptor> All { get; } = [ClusterRoleBinding, ClusterRole, RoleBinding, Role];
}
