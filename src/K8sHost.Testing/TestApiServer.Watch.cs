using k8s;
using k8s.Models;
using K8sHost.Testing.Http;

namespace K8sHost.Testing;

// Recording watch events.
public sealed partial class TestApiServer
{
    /// <summary>
    /// Starts recording the watch events of kind <typeparamref name="T"/> in <paramref name="ns"/> (null = all namespaces
    /// or a cluster-scoped kind), optionally filtered by a label selector. Only changes after this call are recorded.
    /// Returns once the watch is open, so the caller's next write is seen.
    /// </summary>
    public async Task<WatchRecorder<T>> RecordEventsAsync<T>(string? ns = null, string? labelSelector = null, CancellationToken ct = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var path = ResourcePath.Of<T>();
        var collection = path.Collection(ns);
        var query = labelSelector is null ? "" : "labelSelector=" + Uri.EscapeDataString(labelSelector);
        // A list of one item is the cheapest way to learn the current resourceVersion to watch from.
        var (_, rv) = await RawWatch.ListAsync(Http, collection, "limit=1" + (query.Length > 0 ? "&" + query : ""), ct);
        return new WatchRecorder<T>(Http, collection, query, rv, Stopping);
    }
}
