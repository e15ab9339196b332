using K8sHost.Registry.Contracts;

namespace K8sHost.Api.Auth;

/// <summary>
/// Decides which tenant (organization/project) a caller works in. Every storage key carries the tenant, so this is
/// the only place tenancy is decided. Until per-tenant credentials exist every user maps to the default tenant.
/// </summary>
public sealed class TenantResolver
{
    public Tenant Resolve(UserInfo user) => Tenant.Default;
}
