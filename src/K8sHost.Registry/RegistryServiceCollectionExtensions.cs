using K8sHost.Registry.Cache;
using K8sHost.Registry.Contracts;
using K8sHost.Registry.Controllers;
using K8sHost.Registry.Generic;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace K8sHost.Registry;

public static class RegistryServiceCollectionExtensions
{
    /// <summary>
    /// The watch cache (started before the server takes requests), the generic registry and the namespace lifecycle
    /// controller. The host registers <see cref="K8sHost.Storage.IResourceStore"/> and <see cref="Catalog.ResourceCatalog"/>.
    /// </summary>
    public static IServiceCollection AddK8sRegistry(this IServiceCollection services, Action<WatchCacheOptions>? configure = null)
    {
        var options = new WatchCacheOptions();
        configure?.Invoke(options);
        services.TryAddSingleton(options);
        services.TryAddSingleton<WatchCache>();
        services.TryAddSingleton<GenericRegistry>(sp => ActivatorUtilities.CreateInstance<GenericRegistry>(sp, sp));
        services.TryAddSingleton<IResourceRegistry>(sp => sp.GetRequiredService<GenericRegistry>());
        services.AddHostedService<WatchCacheHostedService>();
        services.AddHostedService<NamespaceLifecycleController>();
        return services;
    }
}
