using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace K8sHost.Api.Metrics;

/// <summary>
/// GET /metrics in the Prometheus text format. Like any non-resource URL it needs an authenticated caller (the
/// authentication middleware answers 401 otherwise); kube-apiserver grants it through the system:monitoring role.
/// </summary>
public static class MetricsEndpoint
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static IEndpointRouteBuilder MapK8sMetrics(this IEndpointRouteBuilder app)
    {
        var metrics = app.ServiceProvider.GetRequiredService<ApiMetrics>();
        var counts = app.ServiceProvider.GetRequiredService<StorageObjectCounts>();
        metrics.Registry.AddBeforeCollectCallback(counts.Collect);
        app.MapGet("/metrics", async http =>
        {
            http.Response.ContentType = ContentType;
            http.Response.Headers.CacheControl = "no-cache, private";
            await metrics.Registry.CollectAndExportAsTextAsync(http.Response.Body, http.RequestAborted);
        });
        return app;
    }
}
