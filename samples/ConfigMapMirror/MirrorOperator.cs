using System.Net;
using System.Security.Cryptography;
using System.Text;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace ConfigMapMirror;

/// <summary>
/// A small operator written with the KubernetesClient SDK: every ConfigMap labelled mirror.k8shost.dev/enabled=true is
/// mirrored into a Secret "NAME-mirror" that the ConfigMap owns (ownerReferences, controller=true), and the ConfigMap's
/// status annotation says what was synced. It lists, then watches from the list's resourceVersion, resumes after a
/// stream ends and re-lists after 410 Gone or an error, as client-go's informers do.
/// </summary>
public sealed class MirrorOperator(IKubernetes client, TimeSpan? retryDelay = null)
{
    public const string EnabledLabel = "mirror.k8shost.dev/enabled";
    public const string StatusAnnotation = "mirror.k8shost.dev/status";
    public const string HashAnnotation = "mirror.k8shost.dev/data-hash";
    public const string MirrorLabel = "mirror.k8shost.dev/mirror";
    private const string Selector = EnabledLabel + "=true";
    private readonly TimeSpan _retryDelay = retryDelay ?? TimeSpan.FromMilliseconds(200);

    /// <summary>How many times the operator re-listed after a watch error or a failed reconcile (for tests and logs).</summary>
    public int Relists { get; private set; }

    public static string MirrorName(string configMapName) => configMapName + "-mirror";

    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var list = await client.CoreV1.ListConfigMapForAllNamespacesAsync(labelSelector: Selector, cancellationToken: ct);
                foreach (var cm in list.Items) await ReconcileAsync(cm, ct);
                await DeleteOrphansAsync(list.Items, ct);
                var rv = list.Metadata.ResourceVersion;
                while (!ct.IsCancellationRequested)
                {
                    var events = client.CoreV1.WatchListConfigMapForAllNamespacesAsync(
                        labelSelector: Selector, allowWatchBookmarks: true, resourceVersion: rv, cancellationToken: ct);
                    await foreach (var (type, cm) in events)
                    {
                        if (type == WatchEventType.Error) throw new InvalidOperationException("watch error (410 Gone or similar): re-list");
                        rv = cm.Metadata?.ResourceVersion ?? rv;
                        if (type is WatchEventType.Added or WatchEventType.Modified) await ReconcileAsync(cm, ct);
                        else if (type == WatchEventType.Deleted) await DeleteMirrorAsync(cm, ct);
                    }
                    // The server ended the stream (timeout, restart): resume from the last resourceVersion seen.
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
            catch (Exception e) when (e is HttpOperationException or HttpRequestException or InvalidOperationException or IOException or KubernetesException)
            {
                // 503/504 from an unavailable store, a cut connection, 410: start over from a fresh list.
                Relists++;
                try { await Task.Delay(_retryDelay, ct); } catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>Makes the mirror Secret match the ConfigMap and records the result on it. Idempotent.</summary>
    public async Task ReconcileAsync(V1ConfigMap cm, CancellationToken ct)
    {
        var ns = cm.Metadata.NamespaceProperty;
        var data = cm.Data ?? new Dictionary<string, string>();
        var hash = Hash(data);
        var desired = new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Metadata = new V1ObjectMeta
            {
                Name = MirrorName(cm.Metadata.Name),
                NamespaceProperty = ns,
                OwnerReferences =
                [
                    new V1OwnerReference
                    {
                        ApiVersion = "v1",
                        Kind = "ConfigMap",
                        Name = cm.Metadata.Name,
                        Uid = cm.Metadata.Uid,
                        Controller = true,
                        BlockOwnerDeletion = true,
                    },
                ],
                Labels = new Dictionary<string, string> { [MirrorLabel] = "true" },
                Annotations = new Dictionary<string, string> { [HashAnnotation] = hash },
            },
            StringData = data.ToDictionary(kv => kv.Key, kv => kv.Value),
        };
        var existing = await TryReadSecretAsync(desired.Metadata.Name, ns, ct);
        if (existing is null) await client.CoreV1.CreateNamespacedSecretAsync(desired, ns, cancellationToken: ct);
        else if (Annotation(existing.Metadata, HashAnnotation) != hash)
        {
            desired.Metadata.ResourceVersion = existing.Metadata.ResourceVersion; // optimistic concurrency: 409 means re-list
            await client.CoreV1.ReplaceNamespacedSecretAsync(desired, desired.Metadata.Name, ns, cancellationToken: ct);
        }

        var status = $"synced {data.Count} key(s) to Secret {desired.Metadata.Name} ({hash})";
        if (Annotation(cm.Metadata, StatusAnnotation) == status) return;
        var patch = new V1Patch(KubernetesJson.Serialize(new { metadata = new { annotations = new Dictionary<string, string> { [StatusAnnotation] = status } } }),
            V1Patch.PatchType.MergePatch);
        try { await client.CoreV1.PatchNamespacedConfigMapAsync(patch, cm.Metadata.Name, ns, cancellationToken: ct); }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound) { } // deleted meanwhile: its DELETED event follows
    }

    // A deletion that happened while the operator was not watching (between a failure and the next list) leaves no
    // DELETED event behind; after every list, mirrors whose owner is gone are removed, as an informer's resync would.
    private async Task DeleteOrphansAsync(IList<V1ConfigMap> owners, CancellationToken ct)
    {
        var live = owners.Select(o => o.Metadata.Uid).ToHashSet();
        var mirrors = await client.CoreV1.ListSecretForAllNamespacesAsync(labelSelector: MirrorLabel + "=true", cancellationToken: ct);
        foreach (var s in mirrors.Items)
        {
            if (s.Metadata.OwnerReferences?.Any(o => live.Contains(o.Uid)) == true) continue;
            try { await client.CoreV1.DeleteNamespacedSecretAsync(s.Metadata.Name, s.Metadata.NamespaceProperty, cancellationToken: ct); }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound) { }
        }
    }

    // The server has no garbage collector yet, so the operator removes what it owns itself.
    private async Task DeleteMirrorAsync(V1ConfigMap cm, CancellationToken ct)
    {
        try { await client.CoreV1.DeleteNamespacedSecretAsync(MirrorName(cm.Metadata.Name), cm.Metadata.NamespaceProperty, cancellationToken: ct); }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound) { }
    }

    private async Task<V1Secret?> TryReadSecretAsync(string name, string ns, CancellationToken ct)
    {
        try { return await client.CoreV1.ReadNamespacedSecretAsync(name, ns, cancellationToken: ct); }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound) { return null; }
    }

    private static string? Annotation(V1ObjectMeta meta, string key) =>
        meta.Annotations is { } a && a.TryGetValue(key, out var v) ? v : null;

    private static string Hash(IDictionary<string, string> data)
    {
        var text = string.Join("\n", data.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + "=" + kv.Value));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16].ToLowerInvariant();
    }
}
