using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace K8sHost.Api.Health;

/// <summary>
/// /healthz and /livez (the process answers; a store outage is not a reason to restart the server) and /readyz (it
/// can serve: not stopping, store reachable). All answer from memory: <see cref="StoreHealthMonitor"/> keeps the
/// store's state current in the background, so a hung store never makes a probe hang.
/// </summary>
public static class HealthEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Text("ok", "text/plain"));
        app.MapGet("/livez", () => Results.Text("ok", "text/plain"));
        app.MapGet("/readyz", (HttpContext http) =>
        {
            var state = http.RequestServices.GetRequiredService<IReadinessState>();
            return state.IsReady ? Results.Text("ok", "text/plain") : NotReady(state);
        });
    }

    private static IResult NotReady(IReadinessState state) =>
        Results.Text($"[-]readyz check failed: {state.Reason}\nreadyz check failed", "text/plain", statusCode: StatusCodes.Status503ServiceUnavailable);
}
