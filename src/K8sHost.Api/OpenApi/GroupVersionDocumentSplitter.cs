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
/// Properties also get their strategic-merge extensions here (PatchMetadataExtensions), where the model type is known.
/// </summary>
internal static class GroupVersionDocumentSplitter
{
    private const string RefPrefix = "#/components/schemas/";

    public static Dictionary<string, JsonObject> Split(JsonObject whole, IEnumerable<string> groupVersions, KubernetesModelDocs docs)
    {
        var schemas = whole["components"]?["schemas"] as JsonObject ?? [];
        WrapReferencedProperties(schemas, docs);
        var paths = whole["paths"] as JsonObject ?? [];
        AttachKindSchemas(paths, schemas);
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
                ["components"] = new JsonObject { ["schemas"] = gvSchemas, ["securitySchemes"] = BearerTokenScheme.V3SecuritySchemes() },
                ["security"] = BearerTokenScheme.Requirement(),
            };
        }
        return result;
    }

    /// <summary>
    /// Gives get/put/post operations (main resource and status) the kind's schema as response and request body. ASP.NET
    /// generated them untyped on purpose (see KindApiDescriptionProvider): typing each one costs a full graph walk.
    /// </summary>
    private static void AttachKindSchemas(JsonObject paths, JsonObject schemas)
    {
        var byGvk = new Dictionary<(string, string, string), string>();
        foreach (var (name, schema) in schemas)
            if (schema?["x-kubernetes-group-version-kind"] is JsonArray gvks)
                foreach (var g in gvks)
                    byGvk.TryAdd((g!["group"]!.GetValue<string>(), g["version"]!.GetValue<string>(), g["kind"]!.GetValue<string>()), name);

        foreach (var (_, item) in paths)
        {
            foreach (var (method, node) in item!.AsObject())
            {
                if (node is not JsonObject op || op["x-kubernetes-group-version-kind"] is not JsonObject gvk) continue;
                var action = op["x-kubernetes-action"]?.GetValue<string>();
                if (action is not ("get" or "put" or "post")) continue;
                var key = (gvk["group"]!.GetValue<string>(), gvk["version"]!.GetValue<string>(), gvk["kind"]!.GetValue<string>());
                if (!byGvk.TryGetValue(key, out var schemaName)) continue;
                JsonObject Content() => new() { ["application/json"] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = RefPrefix + schemaName } } };
                if (op["responses"]?["200"] is JsonObject ok && ok["content"] is null) ok["content"] = Content();
                if (method is "put" or "post" && op["requestBody"] is null)
                {
                    // Keep the key order of ASP.NET's own operations: requestBody comes before responses.
                    var responses = op["responses"];
                    op.Remove("responses");
                    op.Remove("x-kubernetes-action");
                    op.Remove("x-kubernetes-group-version-kind");
                    op["requestBody"] = new JsonObject { ["content"] = Content(), ["required"] = true };
                    op["responses"] = responses;
                    op["x-kubernetes-action"] = action;
                    op["x-kubernetes-group-version-kind"] = gvk.DeepClone();
                }
            }
        }
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
                if (property is JsonObject map && type is not null)
                    RestoreMapValueReference(schemas, map, ClrProperty(type, jsonName));
                if (property is JsonObject p && p.Count == 1 && p["$ref"] is not null)
                {
                    var wrapped = new JsonObject { ["allOf"] = new JsonArray(new JsonObject { ["$ref"] = p["$ref"]!.DeepClone() }) };
                    if (type is not null && ClrProperty(type, jsonName) is { } clr && docs.ForProperty(type, clr.Name) is { } text)
                        wrapped["description"] = text;
                    properties[jsonName] = wrapped;
                }
                if (type is not null && properties[jsonName] is JsonObject final)
                    PatchMetadataExtensions.AddTo(final, type, jsonName);
            }
        }
    }

    // ASP.NET drops additionalProperties when the map's values are a custom-converter component (resources.limits is
    // IDictionary<string, ResourceQuantity>), leaving a bare "type: object"; upstream says map[string]Quantity.
    private static void RestoreMapValueReference(JsonObject schemas, JsonObject map, PropertyInfo? clr)
    {
        if (clr is null || map["additionalProperties"] is not null || map["properties"] is not null) return;
        var dictionary = clr.PropertyType.GetInterfaces().Append(clr.PropertyType)
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>));
        if (dictionary?.GetGenericArguments()[1] is not { } valueType) return;
        if (KubernetesSchemaNames.For(valueType) is not { } valueSchema || !schemas.ContainsKey(valueSchema)) return;
        map["additionalProperties"] = new JsonObject { ["$ref"] = RefPrefix + valueSchema };
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
