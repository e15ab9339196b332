using K8sHost.Api.Bodies;
using K8sHost.Api.Discovery;
using K8sHost.Api.Endpoints;
using K8sHost.Api.Health;
using K8sHost.Api.Reviews;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace K8sHost.Api;

public static class K8sApiServiceCollectionExtensions
{
    /// <summary>
    /// Registers the HTTP surface's services. The caller registers the ResourceCatalog, the IResourceRegistry and
    /// (optionally, for /readyz store probes) the IResourceStore. <see cref="K8sApiOptions"/> keep their defaults unless
    /// the host registered bound ones first (the server binds every option set from configuration the same way).
    /// </summary>
    public static IServiceCollection AddK8sApi(this IServiceCollection services)
    {
        services.TryAddSingleton(Options.Create(new K8sApiOptions()));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IReadinessState, ReadinessState>();
        services.AddHostedService<StoreHealthMonitor>();
        // Decoders: later registrations win per media type.
        services.AddSingleton<IRequestBodyDecoder, JsonBodyDecoder>();
        services.AddSingleton<IRequestBodyDecoder, YamlBodyDecoder>();
        services.AddSingleton<IRequestBodyDecoder, ProtobufBodyDecoder>();
        services.TryAddSingleton<RequestBodyDecoders>();
        services.AddK8sReviews();
        services.TryAddSingleton<DiscoveryDocuments>();
        services.TryAddSingleton<ApiServices>();
        return services;
    }
}
