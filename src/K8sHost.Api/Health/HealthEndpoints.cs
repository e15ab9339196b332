using K8sHost.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace K8sHost.Api.Health;

/// <summary>/healthz and /livez (the process answers) and /readyz (it can serve: not stopping, store reachable).</summary>
public static class HealthEndpoints
{
    private static readonly TimeSpan StoreProbeTimeout = TimeSpan.FromSeconds(2);

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Text("ok", "text/plain"));
        app.MapGet("/livez", () => Results.Text("ok", "text/plain"));
        app.MapGet("/readyz", async (HttpContext http) =>
        {
            var state = http.RequestServices.GetRequiredService<IReadinessState>();
            if (!state.IsReady && state.Reason == "shutting down") return NotReady(state);
            // Probe the store on every call so a store that came back clears the flag set by a failed request.
            if (http.RequestServices.GetService<IResourceStore>() is { } store)
            {
                using var cts = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
                cts.CancelAfter(StoreProbeTimeout);
                try
                {
                    await store.GetCurrentRevisionAsync(cts.Token);
                    state.MarkStoreAvailable();
                }
                catch (Exception ex) when (!http.RequestAborted.IsCancellationRequested)
                {
                    // Any probe failure means "cannot serve": the reason is reported, never turned into a 500.
                    state.MarkStoreUnavailable(ex is OperationCanceledException ? "the store did not answer in time" : ex.Message);
                }
            }
            return state.IsReady ? Results.Text("ok", "text/plain") : NotReady(state);
        });
    }

    private static IResult NotReady(IReadinessState state) =>
        Results.Text($"[-]readyz check failed: {state.Reason}\nreadyz check failed", "text/plain", statusCode: StatusCodes.Status503ServiceUnavailable);
}
