using System.Text.Json.Nodes;

namespace K8sHost.Api.OpenApi;

/// <summary>
/// Builds the one Swagger 2.0 document kube-apiserver serves at /openapi/v2 from the per-group-version v3 documents, so
/// both come from the same catalog and cannot drift. The v3 documents use a small part of OpenAPI 3.0 (component
/// references, allOf around a described reference, parameters with a primitive schema, JSON bodies), and each has a
/// direct Swagger 2.0 form:
/// <list type="bullet">
/// <item>#/components/schemas/X becomes #/definitions/X;</item>
/// <item>allOf:[{$ref}] beside a description becomes $ref beside the description (how upstream's v2 writes fields);</item>
/// <item>a parameter's schema is flattened into the parameter (type, format);</item>
/// <item>requestBody becomes the "body" parameter, and the media types become consumes / produces.</item>
/// </list>
/// </summary>
internal static class OpenApiV2Converter
{
    private const string V3RefPrefix = "#/components/schemas/";
    private const string V2RefPrefix = "#/definitions/";

    public static JsonObject Convert(IEnumerable<JsonObject> v3Documents)
    {
        JsonNode? info = null;
        var paths = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
        var definitions = new SortedDictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var doc in v3Documents)
        {
            info ??= doc["info"]?.DeepClone();
            foreach (var (path, item) in doc["paths"]?.AsObject() ?? [])
                paths[path] = ConvertPathItem(item!.AsObject());
            foreach (var (name, schema) in doc["components"]?["schemas"]?.AsObject() ?? [])
                definitions.TryAdd(name, ConvertSchema(schema!));
        }

        var pathsObject = new JsonObject();
        foreach (var (path, item) in paths) pathsObject[path] = item;
        var definitionsObject = new JsonObject();
        foreach (var (name, schema) in definitions) definitionsObject[name] = schema;
        return new JsonObject
        {
            ["swagger"] = "2.0",
            ["info"] = info ?? new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.35.0" },
            ["paths"] = pathsObject,
            ["definitions"] = definitionsObject,
            ["securityDefinitions"] = BearerTokenScheme.V2SecurityDefinitions(),
            ["security"] = BearerTokenScheme.Requirement(),
        };
    }

    private static JsonObject ConvertPathItem(JsonObject item)
    {
        var result = new JsonObject();
        foreach (var (key, value) in item)
            result[key] = key == "parameters"
                ? ConvertParameters(value!.AsArray())
                : value is JsonObject op ? ConvertOperation(op) : value?.DeepClone();
        return result;
    }

    private static JsonObject ConvertOperation(JsonObject op)
    {
        var result = new JsonObject();
        if (op["description"] is { } description) result["description"] = description.DeepClone();
        if (op["requestBody"]?["content"] is JsonObject requestContent)
            result["consumes"] = new JsonArray([.. requestContent.Select(c => (JsonNode)c.Key)]);
        var produces = (op["responses"]?.AsObject() ?? [])
            .SelectMany(r => r.Value?["content"]?.AsObject().Select(c => c.Key) ?? [])
            .Distinct(StringComparer.Ordinal).ToList();
        if (produces.Count > 0) result["produces"] = new JsonArray([.. produces.Select(p => (JsonNode)p)]);
        result["schemes"] = new JsonArray("https");
        foreach (var (key, value) in op)
        {
            switch (key)
            {
                case "description" or "requestBody":
                    break;
                case "parameters":
                    var parameters = ConvertParameters(value!.AsArray());
                    if (op["requestBody"] is JsonObject body) parameters.Insert(0, BodyParameter(body));
                    result["parameters"] = parameters;
                    break;
                case "responses":
                    result["responses"] = ConvertResponses(value!.AsObject());
                    break;
                default:
                    result[key] = value?.DeepClone();
                    break;
            }
        }
        if (op["parameters"] is null && op["requestBody"] is JsonObject onlyBody)
            result["parameters"] = new JsonArray(BodyParameter(onlyBody));
        return result;
    }

    private static JsonArray ConvertParameters(JsonArray parameters)
    {
        var result = new JsonArray();
        foreach (var p in parameters)
        {
            var v2 = new JsonObject();
            foreach (var (key, value) in p!.AsObject())
            {
                if (key != "schema") { v2[key] = value?.DeepClone(); continue; }
                // Non-body parameters carry their primitive type directly.
                foreach (var (schemaKey, schemaValue) in value!.AsObject())
                    v2[schemaKey] = schemaValue?.DeepClone();
            }
            v2["uniqueItems"] = true;
            result.Add(v2);
        }
        return result;
    }

    private static JsonObject BodyParameter(JsonObject requestBody)
    {
        // Every media type of one request body names the same schema (the kind, or Patch); v2 has one body schema.
        var schema = requestBody["content"]!.AsObject().First().Value!["schema"]!;
        var body = new JsonObject { ["name"] = "body", ["in"] = "body" };
        if (requestBody["required"] is { } required) body["required"] = required.DeepClone();
        body["schema"] = ConvertSchema(schema);
        return body;
    }

    private static JsonObject ConvertResponses(JsonObject responses)
    {
        var result = new JsonObject();
        foreach (var (code, response) in responses)
        {
            var v2 = new JsonObject();
            if (response?["description"] is { } d) v2["description"] = d.DeepClone();
            if (response?["content"] is JsonObject content && content.FirstOrDefault().Value?["schema"] is { } schema)
                v2["schema"] = ConvertSchema(schema);
            result[code] = v2;
        }
        return result;
    }

    private static JsonNode ConvertSchema(JsonNode schema)
    {
        if (schema is not JsonObject obj) return schema.DeepClone();
        // A described reference: v3 needs allOf to put a description beside $ref; v2 allows it directly.
        if (obj["allOf"] is JsonArray { Count: 1 } allOf && allOf[0] is JsonObject { Count: 1 } only && only["$ref"] is { } wrapped)
        {
            var reference = new JsonObject { ["$ref"] = Reference(wrapped) };
            foreach (var (key, value) in obj)
                if (key != "allOf") reference[key] = ConvertSchema(value!);
            return reference;
        }
        var result = new JsonObject();
        foreach (var (key, value) in obj)
        {
            result[key] = key switch
            {
                "$ref" => Reference(value!),
                "properties" => ConvertEach(value!.AsObject()),
                "items" or "additionalProperties" => ConvertSchema(value!),
                "allOf" or "oneOf" or "anyOf" => new JsonArray([.. value!.AsArray().Select(s => ConvertSchema(s!))]),
                _ => value?.DeepClone(),
            };
        }
        return result;
    }

    private static JsonObject ConvertEach(JsonObject properties)
    {
        var result = new JsonObject();
        foreach (var (name, schema) in properties) result[name] = ConvertSchema(schema!);
        return result;
    }

    private static string Reference(JsonNode v3Reference)
    {
        var value = v3Reference.GetValue<string>();
        return value.StartsWith(V3RefPrefix, StringComparison.Ordinal) ? V2RefPrefix + value[V3RefPrefix.Length..] : value;
    }
}
