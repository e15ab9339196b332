using k8s;
using k8s.Models;
using K8sHost.Testing.Http;

namespace K8sHost.Testing;

// Waiting for an object to reach a state: list + watch (never polling), resuming when the stream ends.
public sealed partial class TestApiServer
{
    /// <summary>
    /// Waits until the named object exists and satisfies <paramref name="condition"/>, and returns it. Watch-based: it
    /// reacts to the change that makes the condition true. Throws <see cref="TimeoutException"/> (naming the last state
    /// seen) after <paramref name="timeout"/> (default 10 s). Cluster-scoped kinds take <paramref name="ns"/> = null.
    /// </summary>
    public async Task<T> WaitUntilAsync<T>(string name, string? ns, Func<T, bool> condition, TimeSpan? timeout = null, CancellationToken ct = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var found = await WaitForStateAsync<T>(name, ns, o => o is not null && condition(o), timeout, ct);
        return found!;
    }

    /// <summary>Waits until the named object does not exist (deleted, or never created).</summary>
    public async Task WaitUntilGoneAsync<T>(string name, string? ns, TimeSpan? timeout = null, CancellationToken ct = default)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        await WaitForStateAsync<T>(name, ns, o => o is null, timeout, ct);

    private async Task<T?> WaitForStateAsync<T>(string name, string? ns, Func<T?, bool> done, TimeSpan? timeout, CancellationToken ct)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var path = ResourcePath.Of<T>();
        var collection = path.Collection(ns);
        var query = "fieldSelector=" + Uri.EscapeDataString("metadata.name=" + name);
        var limit = timeout ?? TimeSpan.FromSeconds(10);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct, Stopping);
        cts.CancelAfter(limit);
        T? current = null;
        try
        {
            while (true)
            {
                var (items, rv) = await RawWatch.ListAsync(Http, collection, query, cts.Token);
                current = items.Count > 0 ? KubernetesJson.Deserialize<T>(items[0]) : null;
                if (done(current)) return current;
                var relist = false;
                while (!relist)
                {
                    await foreach (var ev in RawWatch.StreamAsync(Http, collection, query, rv, cts.Token))
                    {
                        if (ev.Type == "ERROR") { relist = true; break; } // 410 Gone: our resourceVersion left the window
                        if (ev.ResourceVersion is { } next) rv = next;
                        if (ev.Type == "BOOKMARK") continue;
                        current = ev.Type == "DELETED" ? null : KubernetesJson.Deserialize<T>(ev.ObjectJson);
                        if (done(current)) return current;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            if (Stopping.IsCancellationRequested) throw new ObjectDisposedException(nameof(TestApiServer), "the server was stopped while waiting");
            var last = current is null ? "it does not exist" : "last seen: " + KubernetesJson.Serialize(current);
            throw new TimeoutException($"{typeof(T).Name} {(ns is null ? "" : ns + "/")}{name} did not reach the expected state within {limit.TotalSeconds:0.#}s; {last}");
        }
    }
}
