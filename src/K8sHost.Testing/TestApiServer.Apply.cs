using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using K8sHost.Testing.Http;
using YamlDotNet.RepresentationModel;

namespace K8sHost.Testing;

// Server-side apply of manifests and typed objects, as `kubectl apply --server-side --force-conflicts` does.
public sealed partial class TestApiServer
{
    /// <summary>The field manager the helpers apply with.</summary>
    public const string FieldManager = "k8shost-testing";

    /// <summary>
    /// Applies every document of a YAML (or JSON) manifest server-side, in order, and returns the objects as the server
    /// stored them. Namespaced objects without a namespace go to <paramref name="defaultNamespace"/>.
    /// </summary>
    public async Task<IReadOnlyList<JsonObject>> ApplyYamlAsync(string yaml, string defaultNamespace = "default", CancellationToken ct = default)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var applied = new List<JsonObject>();
        foreach (var doc in stream.Documents)
        {
            if (doc.RootNode is not YamlMappingNode root) continue; // an empty document ("---" at the end)
            var apiVersion = Scalar(root, "apiVersion") ?? throw new ArgumentException("a manifest document has no apiVersion");
            var kind = Scalar(root, "kind") ?? throw new ArgumentException("a manifest document has no kind");
            var meta = root.Children.TryGetValue(new YamlScalarNode("metadata"), out var m) ? m as YamlMappingNode : null;
            var name = meta is null ? null : Scalar(meta, "name");
            if (string.IsNullOrEmpty(name)) throw new ArgumentException($"a {kind} in the manifest has no metadata.name");
            var ns = meta is null ? null : Scalar(meta, "namespace");
            var text = new StringWriter();
            new YamlStream(doc).Save(text, assignAnchors: false);
            applied.Add(await ApplyDocumentAsync(apiVersion, kind, name, ns ?? defaultNamespace, text.ToString(), ct));
        }
        return applied;
    }

    /// <summary>Applies a YAML/JSON manifest file (see <see cref="ApplyYamlAsync"/>).</summary>
    public async Task<IReadOnlyList<JsonObject>> ApplyFileAsync(string path, string defaultNamespace = "default", CancellationToken ct = default) =>
        await ApplyYamlAsync(await File.ReadAllTextAsync(path, ct), defaultNamespace, ct);

    /// <summary>Applies a typed object server-side and returns it as stored (with uid, resourceVersion, managedFields).</summary>
    public async Task<T> ApplyAsync<T>(T obj, CancellationToken ct = default) where T : IKubernetesObject<V1ObjectMeta>
    {
        var stored = await ApplyObjectAsync(obj, ct);
        return KubernetesJson.Deserialize<T>(stored.ToJsonString());
    }

    private async Task<JsonObject> ApplyObjectAsync(IKubernetesObject obj, CancellationToken ct)
    {
        var json = KubernetesJson.Serialize(obj);
        var node = JsonNode.Parse(json)!.AsObject();
        var apiVersion = node["apiVersion"]?.GetValue<string>() ?? obj.ApiVersion
            ?? throw new ArgumentException($"{obj.GetType().Name} has no apiVersion");
        var kind = node["kind"]?.GetValue<string>() ?? obj.Kind ?? throw new ArgumentException($"{obj.GetType().Name} has no kind");
        // Typed SDK objects often leave apiVersion/kind unset; apply needs them in the body.
        node["apiVersion"] = apiVersion;
        node["kind"] = kind;
        var name = node["metadata"]?["name"]?.GetValue<string>() ?? throw new ArgumentException($"the {kind} has no metadata.name");
        var ns = node["metadata"]?["namespace"]?.GetValue<string>() ?? "default";
        return await ApplyDocumentAsync(apiVersion, kind, name, ns, node.ToJsonString(), ct);
    }

    private async Task<JsonObject> ApplyDocumentAsync(string apiVersion, string kind, string name, string ns, string body, CancellationToken ct)
    {
        var (path, namespaced) = ResourcePath.Of(_catalog, apiVersion, kind);
        var url = path.Item(namespaced ? ns : null, name) + $"?fieldManager={FieldManager}&force=true";
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/apply-patch+yaml");
        using var res = await Http.PatchAsync(url, content, ct);
        var text = await res.Content.ReadAsStringAsync(ct);
        if (!res.IsSuccessStatusCode) throw StatusError.From(res.StatusCode, text, $"apply {kind} {name}");
        return JsonNode.Parse(text)!.AsObject();
    }

    private async Task ApplyInitialAsync(TestApiServerOptions options, CancellationToken ct)
    {
        foreach (var file in options.InitialManifestFiles) await ApplyFileAsync(file, ct: ct);
        foreach (var yaml in options.InitialManifests) await ApplyYamlAsync(yaml, ct: ct);
        foreach (var obj in options.InitialObjects) await ApplyObjectAsync(obj, ct);
    }

    private static string? Scalar(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlScalarNode s ? s.Value : null;
}
