using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;

namespace K8sHost.Api.Endpoints;

/// <summary>
/// Checks for bodies the registry does not decode itself (reviews, Eviction, Binding, DeleteOptions): kind/apiVersion
/// (when given) must be the endpoint's. Stored kinds get the same checks, plus name/namespace, in the registry.
/// </summary>
public static class BodyChecks
{
    public static void TypeMeta(JsonObject obj, string expectedKind, string expectedApiVersion)
    {
        var kind = StringField(obj, "kind");
        var apiVersion = StringField(obj, "apiVersion");
        if (apiVersion is { Length: > 0 } && apiVersion != expectedApiVersion)
            throw ApiError.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({expectedApiVersion})");
        if (kind is { Length: > 0 } && kind != expectedKind)
            throw ApiError.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({expectedKind})");
    }

    public static JsonObject? Metadata(JsonObject obj) => obj["metadata"] switch
    {
        null => null,
        JsonObject m => m,
        _ => throw ApiError.BadRequest("error decoding request body: metadata must be an object"),
    };

    public static string? StringField(JsonObject? obj, string field) => obj?[field] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => throw ApiError.BadRequest($"error decoding request body: {field} must be a string"),
    };
}
