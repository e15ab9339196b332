using K8sHost.Api.Health;
using K8sHost.Server.Options;
using K8sHost.Server.Security;

namespace K8sHost.Server.Hosting;

/// <summary>
/// Runs once the watch cache has started and before Kestrel accepts requests: creates the objects every cluster has,
/// then writes the admin kubeconfig (its presence means the server is usable). On SIGTERM it flips /readyz to failing
/// first, waits --shutdown-delay-seconds so load balancers notice, then lets the host drain in-flight requests.
/// </summary>
public sealed class StartupTasks(ClusterBootstrapper bootstrapper, TenantInitializer tenants, ServerOptions options,
    ServingCredentials credentials, IReadinessState readiness, IHostApplicationLifetime lifetime) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        await bootstrapper.RunAsync(ct);
        tenants.MarkReady(K8sHost.Registry.Contracts.Tenant.Default);
        KubeconfigWriter.Write(options.KubeconfigPath, KubeconfigWriter.ServerUrl(options.BindAddress, options.SecurePort),
            credentials.CaPem, credentials.AdminToken);
        lifetime.ApplicationStopping.Register(() =>
        {
            readiness.MarkShuttingDown();
            if (options.ShutdownDelaySeconds > 0) Thread.Sleep(TimeSpan.FromSeconds(options.ShutdownDelaySeconds));
        });
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}

/// <summary>What the kubeconfig needs from start-up: the CA clients trust and the admin token.</summary>
public sealed record ServingCredentials(string? CaPem, string AdminToken);
