using System.Diagnostics;
using K8sHost.Api.Auth;
using K8sHost.Api.Endpoints;
using K8sHost.Api.Pipeline;
using K8sHost.ApiMachinery.Errors;
using Microsoft.AspNetCore.Http;

namespace K8sHost.Api.Metrics;

/// <summary>
/// Records apiserver_request_total, apiserver_request_duration_seconds, apiserver_response_sizes and the in-flight
/// gauge for every request. It runs outermost (see <see cref="MetricsStartupFilter"/>), so the duration includes
/// authentication; labels come from the route that endpoint routing resolved during the request.
/// </summary>
public sealed class RequestMetricsMiddleware(RequestDelegate next, ApiMetrics metrics)
{
    private static readonly object LongRunningKey = new();

    // Requests that hit no resource route (discovery, OpenAPI, /metrics, unknown paths) share one label set per verb.
    private readonly RequestMetricChildren _nonResource = new();

    public async Task InvokeAsync(HttpContext http)
    {
        var start = Stopwatch.GetTimestamp();
        var inflight = RequestVerbs.IsMutating(http.Request.Method) ? metrics.MutatingInflight : metrics.ReadOnlyInflight;
        inflight.Inc();
        var code = 0;
        try
        {
            await next(http);
            code = http.Response.StatusCode;
        }
        catch
        {
            code = StatusCodes.Status500InternalServerError;
            throw;
        }
        finally
        {
            if (!http.Items.ContainsKey(LongRunningKey)) inflight.Dec();
            Record(http, code, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
    }

    /// <summary>
    /// Called when a request turns into a stream (a watch): it leaves the in-flight gauge, as kube-apiserver excludes
    /// long-running requests there, and is counted in apiserver_longrunning_requests until the returned scope ends.
    /// </summary>
    public static IDisposable? EnterLongRunning(HttpContext http, ApiMetrics? metrics)
    {
        if (metrics is null || http.GetEndpoint()?.Metadata.GetMetadata<ResourceRouteMetadata>() is not { } route) return null;
        if (!http.Items.TryAdd(LongRunningKey, true)) return null;
        (RequestVerbs.IsMutating(http.Request.Method) ? metrics.MutatingInflight : metrics.ReadOnlyInflight).Dec();
        var d = route.Descriptor;
        var longRunning = metrics.LongRunning.WithLabels(RequestVerbs.For(http.Request, http.GetRequestInfo()), d.Group, d.Version, d.Plural,
            route.Subresource, route.Scope, "apiserver");
        var watchers = metrics.RegisteredWatchers.WithLabels(d.Group, d.Version, d.Kind);
        longRunning.Inc();
        watchers.Inc();
        return new LongRunningScope(longRunning, watchers);
    }

    private void Record(HttpContext http, int code, double seconds)
    {
        var tenant = metrics.TenantLabels ? TenantOf(http) : "";
        var route = http.GetEndpoint()?.Metadata.GetMetadata<ResourceRouteMetadata>();
        RequestSeries series;
        if (route is null)
        {
            series = _nonResource.Get(metrics, http.Request.Method.ToUpperInvariant(), code, false, tenant, "", "", "", "", "");
        }
        else
        {
            var verb = RequestVerbs.For(http.Request, http.GetRequestInfo());
            var dryRun = RequestVerbs.IsMutating(http.Request.Method) && IsDryRun(http.Request);
            var d = route.Descriptor;
            series = route.Children.Get(metrics, verb, code, dryRun, tenant, d.Group, d.Version, d.Plural, route.Subresource, route.Scope);
        }
        series.Total.Inc();
        series.Duration.Observe(seconds);
        // Streamed bodies (watches, large lists) have no length up front; kube-apiserver counts what was written, which
        // here would mean wrapping every response stream, so only sized responses are observed.
        if (http.Response.ContentLength is long size) series.Size.Observe(size);
    }

    // A malformed dryRun value was already answered with a 400 Status; the metric just records no dry run.
    private static bool IsDryRun(HttpRequest request)
    {
        try { return new RequestQuery(request.Query).DryRun; }
        catch (ApiError) { return false; }
    }

    private static string TenantOf(HttpContext http)
    {
        var t = http.GetRequestContext().Tenant;
        return t.Organization + "/" + t.Project;
    }

    private sealed class LongRunningScope(Prometheus.Gauge.Child longRunning, Prometheus.Gauge.Child watchers) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) != 0) return;
            longRunning.Dec();
            watchers.Dec();
        }
    }
}
