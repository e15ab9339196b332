using K8sHost.Registry.Contracts;

namespace K8sHost.Api.Auth;

/// <summary>
/// Decides which tenant (organization/project) a caller works in. Every storage key carries the tenant, so this is
/// the only place tenancy is decided: a token bound to a tenant (--token-auth-file columns 5 and 6) works only there,
/// every other caller works in the default tenant.
/// </summary>
public sealed class TenantResolver
{
    public Tenant Resolve(AuthenticatedUser? caller) => caller?.Tenant ?? Tenant.Default;
}

/// <summary>Prepares a tenant on its first request (its system namespaces, its `kubernetes` service). Idempotent.</summary>
public interface ITenantInitializer
{
    ValueTask EnsureAsync(Tenant tenant, CancellationToken ct);
}
