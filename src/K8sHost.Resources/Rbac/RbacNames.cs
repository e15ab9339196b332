namespace K8sHost.Resources.Rbac;

/// <summary>Names rbac.authorization.k8s.io defines once: its group, the subject kinds and the bootstrap markers.</summary>
public static class RbacNames
{
    public const string Group = "rbac.authorization.k8s.io";
    public const string UserKind = "User";
    public const string GroupKind = "Group";
    public const string ServiceAccountKind = "ServiceAccount";

    /// <summary>Objects carrying this annotation set to "true" are brought back to the bootstrap policy on every start.</summary>
    public const string AutoUpdateAnnotation = "rbac.authorization.kubernetes.io/autoupdate";

    /// <summary>Label every bootstrap object carries (value "rbac-defaults").</summary>
    public const string BootstrappingLabel = "kubernetes.io/bootstrapping";
}
