using Microsoft.Extensions.Hosting;

namespace K8sHost.Registry.Cache;

/// <summary>Loads the watch cache before the server starts answering, and stops it on shutdown.</summary>
public sealed class WatchCacheHostedService(WatchCache cache) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => cache.StartAsync(cancellationToken);

    public async Task StopAsync(CancellationToken cancellationToken) => await cache.DisposeAsync();
}
