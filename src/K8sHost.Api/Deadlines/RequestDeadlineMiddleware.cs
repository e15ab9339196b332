using K8sHost.Api.Responses;
using K8sHost.ApiMachinery.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace K8sHost.Api.Deadlines;

/// <summary>kube-apiserver's --request-timeout: how long a request that is not long-running may take in all.</summary>
public sealed record RequestDeadlineOptions(TimeSpan Timeout);

/// <summary>
/// One deadline per request (kube-apiserver's WithTimeoutForNonLongRunningRequests). The request's cancellation token
/// (<see cref="HttpContext.RequestAborted"/>) is replaced by one that also fires at the deadline, so every wait and
/// store call of the request shares what is left of it (a store call is further bounded by the store's own timeout).
/// A request cut by the deadline gets 504 Timeout: its outcome is unknown to the server, as with kube-apiserver.
/// </summary>
public sealed class RequestDeadlineMiddleware(RequestDelegate next, RequestDeadlineOptions options)
{
    public async Task InvokeAsync(HttpContext http)
    {
        if (options.Timeout <= TimeSpan.Zero || LongRunningRequests.IsLongRunning(http.Request))
        {
            await next(http);
            return;
        }

        var client = http.RequestAborted;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(client);
        deadline.CancelAfter(options.Timeout);
        http.RequestAborted = deadline.Token;
        try
        {
            await next(http);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !client.IsCancellationRequested)
        {
            // Answered below.
        }
        finally
        {
            http.RequestAborted = client;
        }

        // Handlers see the deadline as "client gone" and write nothing; the answer is ours to give.
        if (deadline.IsCancellationRequested && !client.IsCancellationRequested && !http.Response.HasStarted)
        {
            http.Response.Clear();
            await StatusResponses.WriteErrorAsync(http, new ApiError(504, "Timeout",
                "the server was unable to return a response in the time allotted, but may still be processing the request"));
        }
    }
}

public static class RequestDeadlineServiceCollectionExtensions
{
    /// <summary>Puts the request deadline in front of the whole pipeline (0 or less turns it off).</summary>
    public static IServiceCollection AddK8sRequestDeadline(this IServiceCollection services, TimeSpan timeout)
    {
        services.AddSingleton(new RequestDeadlineOptions(timeout));
        services.AddSingleton<IStartupFilter, RequestDeadlineStartupFilter>();
        return services;
    }

    private sealed class RequestDeadlineStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseMiddleware<RequestDeadlineMiddleware>();
            next(app);
        };
    }
}
