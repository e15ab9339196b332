using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace K8sHost.Api.OpenApi;

/// <summary>
/// Post-processes the one document ASP.NET generates into one document per group-version, the way kube-apiserver
/// builds one spec and serves it split by group-version. Done on JSON because:
/// (1) ASP.NET needs document names before the container is built, while the catalog (and so the list of
///     group-versions) only exists in DI; one document plus a split avoids that ordering trap;
/// (2) ASP.NET writes a referenced property as a bare $ref, dropping its description; upstream (and `kubectl explain`)
///     use allOf:[{$ref}] with the field's description beside it.
/// </summary>
internal static class GroupVersionDocumentSplitter
{
    private const string RefPrefix = "#/components/schemas/";

    public static Dictionary<string, JsonObject> Split(JsonObject whole, IEnumerable<string> groupVersions, KubernetesModelDocs docs)
    {
        var schemas = whole["components"]?["schemas"] as JsonObject ?? [];
        WrapReferencedProperties(schemas, docs);
        var paths = whole["paths"] as JsonObject ?? [];
        var result = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var gv in groupVersions)
        {
            var prefix = "/" + gv + "/";
            var gvPaths = new JsonObject();
            foreach (var (path, item) in paths)
                if (path.StartsWith(prefix, StringComparison.Ordinal)) gvPaths[path] = item!.DeepClone();

            var used = new SortedSet<string>(StringComparer.Ordinal);
            CollectRefs(gvPaths, schemas, used);
            var gvSchemas = new JsonObject();
            foreach (var name in used)
                if (schemas[name] is { } s) gvSchemas[name] = s.DeepClone();

            result[gv] = new JsonObject
            {
                ["openapi"] = whole["openapi"]?.DeepClone(),
                ["info"] = whole["info"]?.DeepClone(),
                ["paths"] = gvPaths,
                ["components"] = new JsonObject { ["schemas"] = gvSchemas },
            };
        }
        return result;
    }

    private static void CollectRefs(JsonNode? node, JsonObject schemas, SortedSet<string> used)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (key == "$ref" && value?.GetValue<string>() is { } r && r.StartsWith(RefPrefix, StringComparison.Ordinal))
                    {
                        var name = r[RefPrefix.Length..];
                        if (used.Add(name)) CollectRefs(schemas[name], schemas, used);
                    }
                    else CollectRefs(value, schemas, used);
                }
                break;
            case JsonArray array:
                foreach (var item in array) CollectRefs(item, schemas, used);
                break;
        }
    }

    private static void WrapReferencedProperties(JsonObject schemas, KubernetesModelDocs docs)
    {
        foreach (var (name, schema) in schemas)
        {
            if (schema?["properties"] is not JsonObject properties) continue;
            var type = ModelTypesBySchemaName.Value.GetValueOrDefault(name);
            foreach (var (jsonName, property) in properties.ToList())
            {
                if (property is not JsonObject p || p.Count != 1 || p["$ref"] is null) continue;
                var wrapped = new JsonObject { ["allOf"] = new JsonArray(new JsonObject { ["$ref"] = p["$ref"]!.DeepClone() }) };
                if (type is not null && ClrProperty(type, jsonName) is { } clr && docs.ForProperty(type, clr.Name) is { } text)
                    wrapped["description"] = text;
                properties[jsonName] = wrapped;
            }
        }
    }

    private static PropertyInfo? ClrProperty(Type type, string jsonName) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .FirstOrDefault(p => (p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? p.Name) == jsonName);

    private static readonly Lazy<Dictionary<string, Type>> ModelTypesBySchemaName = new(() =>
    {
        var map = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var t in typeof(k8s.Models.V1Pod).Assembly.GetTypes())
            if (KubernetesSchemaNames.For(t) is { } n) map.TryAdd(n, t);
        return map;
    });
}
