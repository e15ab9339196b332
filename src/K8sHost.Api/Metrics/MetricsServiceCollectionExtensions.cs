using K8sHost.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace K8sHost.Api.Metrics;

public static class MetricsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the metrics, the request-metrics middleware (via a startup filter, so it is outermost) and wraps the
    /// already registered <see cref="IResourceStore"/> so every backend reports etcd_request_* metrics.
    /// Call after the store is registered. <paramref name="tenantLabels"/> adds a tenant label ("org/project") to the
    /// request and object counts (--metrics-tenant-labels); off by default to keep cardinality bounded.
    /// </summary>
    public static IServiceCollection AddK8sMetrics(this IServiceCollection services, bool tenantLabels = false)
    {
        var metrics = new ApiMetrics(tenantLabels);
        services.AddSingleton(metrics);
        services.AddSingleton<StorageObjectCounts>();
        services.AddTransient<IStartupFilter, MetricsStartupFilter>();

        for (var i = services.Count - 1; i >= 0; i--)
        {
            var d = services[i];
            if (d.ServiceType != typeof(IResourceStore) || d.IsKeyedService) continue;
            services[i] = d.ImplementationInstance is IResourceStore instance
                // The host owns a store it registered as an instance; the wrapper must not dispose it.
                ? ServiceDescriptor.Singleton<IResourceStore>(new InstrumentedResourceStore(instance, metrics, ownsInner: false))
                : ServiceDescriptor.Singleton<IResourceStore>(sp => new InstrumentedResourceStore(Create(sp, d), metrics, ownsInner: true));
            break;
        }
        return services;
    }

    private static IResourceStore Create(IServiceProvider sp, ServiceDescriptor d) =>
        (IResourceStore)(d.ImplementationFactory?.Invoke(sp) ?? ActivatorUtilities.CreateInstance(sp, d.ImplementationType!));
}
