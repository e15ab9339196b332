using System.Net.Http.Headers;
using System.Reflection;
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
        var applied = new List<JsonObject>();
        foreach (var text in SplitDocuments(yaml))
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root) continue; // empty document
            var apiVersion = Scalar(root, "apiVersion") ?? throw new ArgumentException("a manifest document has no apiVersion");
            var kind = Scalar(root, "kind") ?? throw new ArgumentException("a manifest document has no kind");
            var meta = root.Children.TryGetValue(new YamlScalarNode("metadata"), out var m) ? m as YamlMappingNode : null;
            var name = meta is null ? null : Scalar(meta, "name");
            if (string.IsNullOrEmpty(name)) throw new ArgumentException($"a {kind} in the manifest has no metadata.name");
            var ns = meta is null ? null : Scalar(meta, "namespace");
            // Sent as written (JSON stays JSON, YAML keeps its quoting), so the server decodes what the author wrote.
            applied.Add(await ApplyDocumentAsync(apiVersion, kind, name, ns ?? defaultNamespace, text, ct));
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
        var entity = obj.GetType().GetCustomAttribute<KubernetesEntityAttribute>();
        var modelApiVersion = entity is null ? null : string.IsNullOrEmpty(entity.Group) ? entity.ApiVersion : $"{entity.Group}/{entity.ApiVersion}";
        var apiVersion = node["apiVersion"]?.GetValue<string>() ?? modelApiVersion
            ?? throw new ArgumentException($"{obj.GetType().Name} has no apiVersion");
        var kind = node["kind"]?.GetValue<string>() ?? entity?.Kind ?? throw new ArgumentException($"{obj.GetType().Name} has no kind");
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

    // Splits a multi-document manifest on "---" lines, as kubectl's YAML reader does.
    private static IEnumerable<string> SplitDocuments(string yaml)
    {
        var current = new StringBuilder();
        foreach (var line in yaml.ReplaceLineEndings("\n").Split('\n'))
        {
            if (line.StartsWith("---", StringComparison.Ordinal) && (line.Length == 3 || char.IsWhiteSpace(line[3])))
            {
                if (current.Length > 0) yield return current.ToString();
                current.Clear();
                continue;
            }
            if (line == "...") continue;
            current.Append(line).Append('\n');
        }
        if (current.ToString().Trim().Length > 0) yield return current.ToString();
    }

    private static string? Scalar(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlScalarNode s ? s.Value : null;
}
