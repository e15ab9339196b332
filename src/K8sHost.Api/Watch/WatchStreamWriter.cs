using K8sHost.Api.Metrics;
using K8sHost.Api.Negotiation;
using K8sHost.Api.Responses;
using K8sHost.Registry.Catalog;
using K8sHost.Registry.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace K8sHost.Api.Watch;

/// <summary>
/// Streams a watch subscription: 200, chunked, one line per event, flushed as soon as the events that are ready have
/// been written. Ends when the registry completes the subscription (timeout, error event), when the client
/// disconnects, or when the server starts shutting down; a client that fell behind is cut off at once.
/// </summary>
public static class WatchStreamWriter
{
    public static async Task StreamAsync(HttpContext http, IWatchSubscription subscription, ResourceDescriptor d, ResponseFormat format,
        IncludeObject include, TimeSpan? timeout, TimeProvider clock)
    {
        var res = http.Response;
        res.StatusCode = StatusCodes.Status200OK;
        res.ContentType = format.ContentType(list: false);
        res.Headers.CacheControl = "no-cache, private";
        await res.StartAsync(http.RequestAborted);
        await res.Body.FlushAsync(http.RequestAborted);

        var stopping = http.RequestServices.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
        var dropped = subscription.Dropped;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, stopping, dropped);
        // The registry applies timeoutSeconds too; this guard keeps the promise even if it did not.
        if (timeout is { } t && t > TimeSpan.Zero) cts.CancelAfter(t);

        var metrics = http.RequestServices.GetService<ApiMetrics>();
        using var longRunning = RequestMetricsMiddleware.EnterLongRunning(http, metrics);
        var eventCount = metrics?.WatchEvents.WithLabels(d.Group, d.Version, d.Kind);
        var eventSizes = metrics?.WatchEventSizes.WithLabels(d.Group, d.Version, d.Kind);
        var reader = subscription.Events;
        var first = true;
        try
        {
            while (await reader.WaitToReadAsync(cts.Token))
            {
                while (reader.TryRead(out var ev))
                {
                    var withColumns = first && format.Shape == ResponseShape.Table && ev.Object is not null;
                    if (withColumns) first = false;
                    var line = WatchLineEncoder.Encode(ev, format, d, include, withColumns, clock.GetUtcNow());
                    await res.Body.WriteAsync(line, cts.Token);
                    eventCount?.Inc();
                    eventSizes?.Observe(line.Length);
                }
                await res.Body.FlushAsync(cts.Token);
            }
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            // Client gone, timeout reached or server stopping: end the chunked stream normally.
        }

        if (dropped.IsCancellationRequested && !http.RequestAborted.IsCancellationRequested)
        {
            // The client fell behind and the registry dropped it. Ending the response normally would first need the
            // client to read what already sits in the socket, which it is not doing: cut the connection instead
            // (kube-apiserver closes a slow watcher too). The client sees a broken stream and re-watches.
            http.Abort();
        }
    }
}
