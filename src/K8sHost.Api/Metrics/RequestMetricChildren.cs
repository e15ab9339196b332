using System.Collections.Concurrent;
using Prometheus;

namespace K8sHost.Api.Metrics;

/// <summary>The labelled series one request updates: resolved once per label combination, then reused.</summary>
internal sealed record RequestSeries(Counter.Child Total, Histogram.Child Duration, Histogram.Child Size);

/// <summary>
/// Per-route cache of label children. prometheus-net's WithLabels hashes and compares every label value; a route
/// sees a handful of (verb, code, dry_run) combinations, so a small dictionary keyed by them skips that work.
/// </summary>
internal sealed class RequestMetricChildren
{
    private readonly ConcurrentDictionary<(string Verb, int Code, bool DryRun, string Tenant), RequestSeries> _series = new();

    public RequestSeries Get(ApiMetrics metrics, string verb, int code, bool dryRun, string tenant,
        string group, string version, string resource, string subresource, string scope) =>
        _series.TryGetValue((verb, code, dryRun, tenant), out var s)
            ? s
            : _series.GetOrAdd((verb, code, dryRun, tenant), k => Create(metrics, k, group, version, resource, subresource, scope));

    private static RequestSeries Create(ApiMetrics m, (string Verb, int Code, bool DryRun, string Tenant) k,
        string group, string version, string resource, string subresource, string scope)
    {
        const string component = "apiserver";
        var dry = k.DryRun ? "All" : "";
        var code = k.Code.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (m.TenantLabels)
            return new RequestSeries(
                m.RequestTotal.WithLabels(k.Verb, dry, group, version, resource, subresource, scope, component, code, k.Tenant),
                m.RequestDuration.WithLabels(k.Verb, dry, group, version, resource, subresource, scope, component, k.Tenant),
                m.ResponseSizes.WithLabels(k.Verb, group, version, resource, subresource, scope, component, k.Tenant));
        return new RequestSeries(
            m.RequestTotal.WithLabels(k.Verb, dry, group, version, resource, subresource, scope, component, code),
            m.RequestDuration.WithLabels(k.Verb, dry, group, version, resource, subresource, scope, component),
            m.ResponseSizes.WithLabels(k.Verb, group, version, resource, subresource, scope, component));
    }
}
