using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace K8sHost.Api.Metrics;

/// <summary>Puts <see cref="RequestMetricsMiddleware"/> in front of everything the host adds, authentication included.</summary>
public sealed class MetricsStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseMiddleware<RequestMetricsMiddleware>();
        next(app);
    };
}
