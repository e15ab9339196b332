using K8sHost.Api.Health;
using K8sHost.Api.Responses;
using K8sHost.ApiMachinery.Errors;
using K8sHost.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace K8sHost.Api.Errors;

/// <summary>
/// The one place exceptions become metav1.Status replies. Every Kubernetes endpoint is wrapped by it, so a client
/// always gets a Status it can print: ApiError keeps its code, an unreachable store is 503 with Retry-After,
/// Kestrel's request errors (body too large, bad framing) keep their 4xx, and only genuine bugs are 500.
/// </summary>
public static class ApiErrorBoundary
{
    public static RequestDelegate Wrap(RequestDelegate inner) => async http =>
    {
        try
        {
            await inner(http);
        }
        catch (Exception ex)
        {
            await HandleAsync(http, ex);
        }
    };

    public static async Task HandleAsync(HttpContext http, Exception ex)
    {
        // The client went away: nothing to say, nothing to log.
        if (ex is OperationCanceledException && http.RequestAborted.IsCancellationRequested) return;

        var error = ToApiError(http, ex);
        if (http.Response.HasStarted)
        {
            // Mid-stream (a list or watch already sent headers): a Status can no longer be sent; cut the stream so the
            // client sees a broken response instead of a silently truncated one.
            Logger(http).LogWarning(ex, "error after the response started on {Method} {Path}", http.Request.Method, http.Request.Path);
            http.Abort();
            return;
        }
        http.Response.Clear();
        await StatusResponses.WriteErrorAsync(http, error);
    }

    private static ApiError ToApiError(HttpContext http, Exception ex)
    {
        switch (ex)
        {
            case ApiError api:
                return api;
            case StoreUnavailableException su:
                http.RequestServices.GetService<IReadinessState>()?.MarkStoreUnavailable(su.Message);
                Logger(http).LogWarning("store unavailable: {Message}", su.Message);
                return ApiError.ServiceUnavailable($"the storage backend is unavailable: {su.Message}", retryAfterSeconds: 1);
            case BadHttpRequestException bad:
                return bad.StatusCode == StatusCodes.Status413PayloadTooLarge
                    ? ApiError.RequestEntityTooLarge($"the request is too large: {bad.Message}")
                    : new ApiError(bad.StatusCode is >= 400 and < 500 ? bad.StatusCode : 400, "BadRequest", bad.Message);
            case OperationCanceledException:
                // Not the client: a server-side timeout inside the store or registry.
                return new ApiError(504, "Timeout", "the server was unable to return a response in the time allotted, but may still be processing the request");
            default:
                Logger(http).LogError(ex, "unhandled error on {Method} {Path}", http.Request.Method, http.Request.Path);
                return ApiError.Internal(ex.Message);
        }
    }

    private static ILogger Logger(HttpContext http) =>
        http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("K8sHost.Api.Errors");
}
