using System.Collections.Concurrent;
using System.Diagnostics;
using K8sHost.Registry.Catalog;
using K8sHost.Storage;
using Prometheus;

namespace K8sHost.Api.Metrics;

/// <summary>
/// Wraps whichever backend the server runs on (SQLite, etcd, FlareDB) and records kube-apiserver's storage metrics,
/// etcd_request_duration_seconds{operation,type} and etcd_requests_total, for every call, so the usual dashboards show
/// the embedded store too. The type label is the key's resource segment ("pods", "leases.coordination.k8s.io").
/// </summary>
public sealed class InstrumentedResourceStore(IResourceStore inner, ApiMetrics metrics, bool ownsInner) : IResourceStore
{
    private readonly ConcurrentDictionary<(string Operation, string Type), (Counter.Child Count, Histogram.Child Duration)> _series = new();

    public IResourceStore Inner => inner;

    public string Name => inner.Name;

    public Task<long> GetCurrentRevisionAsync(CancellationToken ct = default) =>
        TimeAsync("getCurrentResourceVersion", "", inner.GetCurrentRevisionAsync(ct));

    public Task<StoreResult<KeyValue>> GetAsync(string key, CancellationToken ct = default) =>
        TimeAsync("get", key, inner.GetAsync(key, ct));

    public Task<StoreResult<long>> CreateAsync(string key, ReadOnlyMemory<byte> value, CancellationToken ct = default) =>
        TimeAsync("create", key, inner.CreateAsync(key, value, ct));

    public Task<StoreResult<long>> UpdateAsync(string key, ReadOnlyMemory<byte> value, long expectedModRevision, CancellationToken ct = default) =>
        TimeAsync("update", key, inner.UpdateAsync(key, value, expectedModRevision, ct));

    public Task<StoreResult<long>> DeleteAsync(string key, long expectedModRevision, CancellationToken ct = default) =>
        TimeAsync("delete", key, inner.DeleteAsync(key, expectedModRevision, ct));

    public Task<StoreResult<RangeResult>> ListAsync(string prefix, string? startAfter, int limit, long revision = 0, CancellationToken ct = default) =>
        TimeAsync("list", prefix, inner.ListAsync(prefix, startAfter, limit, revision, ct));

    // A watch is a stream, not a request with a latency; upstream does not time it either.
    public IAsyncEnumerable<StoreEvent> WatchAsync(string prefix, long afterRevision, CancellationToken ct = default) =>
        inner.WatchAsync(prefix, afterRevision, ct);

    public Task CompactAsync(long revision, CancellationToken ct = default) =>
        TimeAsync("compact", "", inner.CompactAsync(revision, ct));

    public Task<long> GetCompactedRevisionAsync(CancellationToken ct = default) =>
        TimeAsync("getCompactedRevision", "", inner.GetCompactedRevisionAsync(ct));

    public ValueTask DisposeAsync() => ownsInner ? inner.DisposeAsync() : ValueTask.CompletedTask;

    /// <summary>"k8s/{org}/{project}/{resource}/…" → "{resource}"; "" for anything else (the whole tenant, the root).</summary>
    public static ReadOnlySpan<char> ResourceOf(string key)
    {
        if (!key.StartsWith(StorageKeys.Root, StringComparison.Ordinal)) return "";
        var rest = key.AsSpan(StorageKeys.Root.Length);
        for (var skip = 0; skip < 2; skip++)
        {
            var slash = rest.IndexOf('/');
            if (slash < 0) return "";
            rest = rest[(slash + 1)..];
        }
        var end = rest.IndexOf('/');
        return end < 0 ? rest : rest[..end];
    }

    private async Task<T> TimeAsync<T>(string operation, string key, Task<T> call)
    {
        var start = Stopwatch.GetTimestamp();
        try { return await call.ConfigureAwait(false); }
        finally { Observe(operation, key, start); }
    }

    private async Task TimeAsync(string operation, string key, Task call)
    {
        var start = Stopwatch.GetTimestamp();
        try { await call.ConfigureAwait(false); }
        finally { Observe(operation, key, start); }
    }

    private void Observe(string operation, string key, long start)
    {
        var type = ResourceOf(key).ToString();
        if (!_series.TryGetValue((operation, type), out var s))
            s = _series.GetOrAdd((operation, type), k =>
                (metrics.StorageRequests.WithLabels(k.Operation, k.Type), metrics.StorageRequestDuration.WithLabels(k.Operation, k.Type)));
        s.Count.Inc();
        s.Duration.Observe(Stopwatch.GetElapsedTime(start).TotalSeconds);
    }
}
