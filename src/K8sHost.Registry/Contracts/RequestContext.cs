namespace K8sHost.Registry.Contracts;

/// <summary>The tenant every request belongs to; part of every storage key.</summary>
public sealed record Tenant(string Organization, string Project)
{
    public static readonly Tenant Default = new("default-org", "default-project");
}

/// <summary>The authenticated caller, as authentication.k8s.io UserInfo.</summary>
public sealed record UserInfo(string Name, IReadOnlyList<string> Groups, string Uid = "")
{
    public static readonly UserInfo Anonymous = new("system:anonymous", ["system:unauthenticated"]);
}

public sealed record RequestContext(Tenant Tenant, UserInfo User)
{
    public static readonly RequestContext System = new(Tenant.Default, new UserInfo("system:apiserver", ["system:masters"]));
}
