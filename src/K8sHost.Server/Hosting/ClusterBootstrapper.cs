using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;
using K8sHost.Registry.Catalog;
using K8sHost.Registry.Contracts;
using K8sHost.Resources.Services;
using K8sHost.Server.Options;

namespace K8sHost.Server.Hosting;

/// <summary>
/// Creates what kube-apiserver guarantees exists on a fresh cluster: the default, kube-system, kube-public and
/// kube-node-lease namespaces, and the `kubernetes` service in `default` holding the first address of the service range.
/// Idempotent: existing objects are left alone, so it runs on every start. Like kube-apiserver's bootstrap controller it
/// then keeps them: every <see cref="ReconcileInterval"/> it re-creates whatever of them was deleted, in every tenant it
/// has bootstrapped in this process.
/// </summary>
public sealed class ClusterBootstrapper(IResourceRegistry registry, ResourceCatalog catalog, ServerOptions options,
    ServiceNetworkOptions network, K8sHost.Api.Auth.Rbac.RbacBootstrapper rbac, ILogger<ClusterBootstrapper> logger) : BackgroundService
{
    public static readonly string[] SystemNamespaces = ["default", "kube-system", "kube-public", "kube-node-lease"];

    /// <summary>kube-apiserver's bootstrap controller re-checks the `kubernetes` service and system namespaces every 10 s.</summary>
    public static readonly TimeSpan ReconcileInterval = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<Tenant, bool> _bootstrapped = new();

    public async Task RunAsync(CancellationToken ct) => await RunAsync(Tenant.Default, ct);

    /// <summary>Every tenant is a cluster of its own (as kcp's logical clusters): it gets the same first-start objects.</summary>
    public async Task RunAsync(Tenant tenant, CancellationToken ct)
    {
        // The RBAC bootstrap policy is reconciled once per start (as kube-apiserver's storage post-start hook does);
        // the system namespaces and the kubernetes service are kept on every tick below.
        await rbac.ReconcileAsync(tenant, ct);
        await EnsureAsync(tenant, ct);
        _bootstrapped.TryAdd(tenant, true);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(ReconcileInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var tenant in _bootstrapped.Keys)
            {
                try
                {
                    await EnsureAsync(tenant, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // A store outage: the next tick tries again.
                    logger.LogWarning(e, "reconciling the system objects of tenant {Tenant} failed", tenant);
                }
            }
        }
    }

    private async Task EnsureAsync(Tenant tenant, CancellationToken ct)
    {
        var rc = RequestContext.System with { Tenant = tenant };
        var ns = catalog.Find("", "v1", "namespaces") ?? throw new InvalidOperationException("namespaces are not registered");
        foreach (var name in SystemNamespaces)
            await CreateIfMissingAsync(rc, ns, null, new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Namespace",
                ["metadata"] = new JsonObject { ["name"] = name },
            }, ct);

        var svc = catalog.Find("", "v1", "services") ?? throw new InvalidOperationException("services are not registered");
        await CreateIfMissingAsync(rc, svc, "default", new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Service",
            ["metadata"] = new JsonObject
            {
                ["name"] = "kubernetes",
                ["labels"] = new JsonObject { ["component"] = "apiserver", ["provider"] = "kubernetes" },
            },
            ["spec"] = new JsonObject
            {
                ["type"] = "ClusterIP",
                ["clusterIP"] = network.KubernetesServiceIp,
                ["sessionAffinity"] = "None",
                ["ports"] = new JsonArray(new JsonObject
                {
                    ["name"] = "https",
                    ["port"] = 443,
                    ["protocol"] = "TCP",
                    ["targetPort"] = options.SecurePort,
                }),
            },
        }, ct);
    }

    private async Task CreateIfMissingAsync(RequestContext rc, ResourceDescriptor d, string? ns, JsonObject obj, CancellationToken ct)
    {
        var name = obj["metadata"]!["name"]!.GetValue<string>();
        try
        {
            // Look first: a create would try to allocate the service IP again and fail as "already allocated".
            await registry.GetAsync(rc, d, ns, name, new GetOptions(), ct);
            return;
        }
        catch (ApiError e) when (e.Code == 404)
        {
        }
        try
        {
            await registry.CreateAsync(rc, d, ns, obj, new WriteOptions { FieldManager = "kube-apiserver" }, ct);
        }
        catch (ApiError e) when (e.Code == 409)
        {
            // Another replica created it in the meantime.
        }
    }
}
