using System.Collections.Concurrent;
using K8sHost.Api.Auth;
using K8sHost.Registry.Contracts;

namespace K8sHost.Server.Hosting;

/// <summary>
/// Creates a tenant's system namespaces and `kubernetes` service on its first request, once per process (the
/// bootstrapper is idempotent, so a restart or a second replica only re-checks). The default tenant is prepared at start.
/// </summary>
public sealed class TenantInitializer(ClusterBootstrapper bootstrapper) : ITenantInitializer
{
    private readonly ConcurrentDictionary<Tenant, Lazy<Task>> _ready = new();

    public void MarkReady(Tenant tenant) => _ready.TryAdd(tenant, new Lazy<Task>(Task.CompletedTask));

    public async ValueTask EnsureAsync(Tenant tenant, CancellationToken ct)
    {
        var lazy = _ready.GetOrAdd(tenant, t => new Lazy<Task>(() => bootstrapper.RunAsync(t, CancellationToken.None)));
        try
        {
            await lazy.Value.WaitAsync(ct);
        }
        catch (Exception) when (lazy.Value.IsFaulted)
        {
            // A failed bootstrap (store outage) is retried by the tenant's next request.
            _ready.TryRemove(new KeyValuePair<Tenant, Lazy<Task>>(tenant, lazy));
            throw;
        }
    }
}
