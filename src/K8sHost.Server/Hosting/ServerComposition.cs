using K8sHost.Api;
using K8sHost.Api.Deadlines;
using K8sHost.Api.Metrics;
using K8sHost.Api.Auth.Rbac;
using K8sHost.Api.OpenApi;
using K8sHost.Api.Pipeline;
using K8sHost.Registry;
using K8sHost.Registry.Catalog;
using K8sHost.Resources;
using K8sHost.Server.Options;

namespace K8sHost.Server.Hosting;

/// <summary>Which pieces make up the server, in one place: catalog → registry → API → OpenAPI → first-start objects.</summary>
public static class ServerComposition
{
    /// <summary>Option sets are already bound and registered (ServerSettings); the libraries' defaults only fill gaps.</summary>
    public static void AddServices(WebApplicationBuilder builder, ServerOptions options)
    {
        builder.Services.AddSingleton(new ResourceCatalog(BuiltInKinds.All()));
        builder.Services.AddK8sRegistry();
        builder.Services.AddK8sApi();
        builder.Services.AddK8sRequestDeadline(options.RequestTimeout);
        builder.Services.AddK8sOpenApi();
        builder.Services.AddK8sMetrics(options.MetricsTenantLabels);
        builder.Services.AddK8sAuthorization(options.AuthorizationMode, options.AnonymousAuth);
        builder.Services.AddSingleton<RbacBootstrapper>();
        builder.Services.AddSingleton<ClusterRoleAggregationController>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ClusterRoleAggregationController>());
        builder.Services.AddSingleton<ClusterBootstrapper>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ClusterBootstrapper>());
        builder.Services.AddSingleton<TenantInitializer>();
        builder.Services.AddSingleton<K8sHost.Api.Auth.ITenantInitializer>(sp => sp.GetRequiredService<TenantInitializer>());
        // Registered after the registry's hosted services, so it starts once the watch cache is running.
        builder.Services.AddHostedService<StartupTasks>();
    }

    public static void MapEndpoints(WebApplication app)
    {
        app.MapK8sApi();
        app.MapK8sOpenApi();
        app.MapK8sMetrics();
    }
}
