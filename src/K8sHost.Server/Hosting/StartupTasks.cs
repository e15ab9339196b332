using K8sHost.Api.Health;
using K8sHost.Server.Options;
using K8sHost.Server.Security;

namespace K8sHost.Server.Hosting;

/// <summary>
/// Runs once the watch cache has started and before Kestrel accepts requests: creates the objects every cluster has,
/// then writes the admin kubeconfig (its presence means the server is usable). On SIGTERM it flips /readyz to failing
/// first, waits --shutdown-delay-seconds so load balancers notice, then lets the host drain in-flight requests.
/// Once Kestrel listens it logs the one start line: where it serves, where the kubeconfig is and how to use it.
/// </summary>
public sealed class StartupTasks(ClusterBootstrapper bootstrapper, TenantInitializer tenants, ServerOptions options,
    ServingCredentials credentials, IReadinessState readiness, IHostApplicationLifetime lifetime, ILogger<StartupTasks> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        await bootstrapper.RunAsync(ct);
        tenants.MarkReady(K8sHost.Registry.Contracts.Tenant.Default);
        var url = KubeconfigWriter.ServerUrl(options.BindAddress, options.SecurePort);
        KubeconfigWriter.Write(options.KubeconfigPath, url, credentials.CaPem, credentials.AdminToken);
        var kubeconfig = Path.GetFullPath(options.KubeconfigPath);
        lifetime.ApplicationStarted.Register(() => logger.LogInformation(
            "Serving on {Url}; admin kubeconfig written to {Kubeconfig}; use it with: {Command}",
            url, kubeconfig, $"kubectl --kubeconfig {kubeconfig} get namespaces"));
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
