using K8sHost.Api.Discovery;
using K8sHost.Api.Errors;
using K8sHost.Api.Health;
using K8sHost.Api.Reviews;
using K8sHost.Api.Routing;
using K8sHost.Registry.Catalog;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace K8sHost.Api;

public static class K8sApiEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps /version, /healthz, /livez, /readyz, discovery (/api, /apis, …), every resource path of the catalog, the
    /// self-subject reviews, and a 404 Status for any other path under /api and /apis.
    /// </summary>
    public static IEndpointRouteBuilder MapK8sApi(this IEndpointRouteBuilder app)
    {
        var services = app.ServiceProvider;
        var catalog = services.GetRequiredService<ResourceCatalog>();
        var readiness = services.GetRequiredService<IReadinessState>();
        services.GetService<IHostApplicationLifetime>()?.ApplicationStopping.Register(readiness.MarkShuttingDown);

        Func<RequestDelegate, RequestDelegate> wrap = ApiErrorBoundary.Wrap;
        VersionEndpoint.Map(app, wrap);
        HealthEndpoints.Map(app);
        DiscoveryEndpoints.Map(app, wrap);
        ResourceRoutes.Map(app, catalog, wrap);
        ReviewEndpoints.Map(app, wrap);

        // Unknown paths under the API roots: a Status, as kube-apiserver answers, not an empty 404.
        RequestDelegate notFound = wrap(_ => throw DiscoveryEndpoints.NotFoundPath());
        app.Map("/api/{**rest}", notFound).WithOrder(int.MaxValue);
        app.Map("/apis/{**rest}", notFound).WithOrder(int.MaxValue);

        // Everywhere else (health, OpenAPI, unknown roots) routing's own empty 404/405 become Status bodies too. A
        // WebApplication is also the pipeline: added here, every host that maps the API gets it, after its own middleware.
        if (app is IApplicationBuilder pipeline) StatusFallback.Use(pipeline);
        return app;
    }
}
