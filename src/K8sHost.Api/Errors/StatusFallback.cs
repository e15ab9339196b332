using K8sHost.Api.Responses;
using K8sHost.ApiMachinery.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace K8sHost.Api.Errors;

/// <summary>
/// Gives the replies routing makes on its own a Status body, as kube-apiserver does for every path: a path no endpoint
/// serves (404 NotFound) and a method the matched path does not take (routing's 405 endpoint). Runs around endpoint
/// execution and acts only when nothing was written, so endpoints that answer 404/405 themselves keep their body.
/// </summary>
public static class StatusFallback
{
    public static void Use(IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        await next(http);
        if (http.Response.HasStarted || http.RequestAborted.IsCancellationRequested) return;
        var error = http.Response.StatusCode switch
        {
            StatusCodes.Status404NotFound => Discovery.DiscoveryEndpoints.NotFoundPath(),
            StatusCodes.Status405MethodNotAllowed => ApiError.MethodNotAllowed(),
            _ => null,
        };
        if (error is null || http.Response.ContentLength > 0 || http.Response.ContentType is not null) return;
        await StatusResponses.WriteErrorAsync(http, error);
    });
}
