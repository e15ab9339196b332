using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;
using K8sHost.Registry.Catalog;

namespace K8sHost.Api.Endpoints;

/// <summary>
/// Checks that a decoded body belongs to the endpoint it was sent to, as kube-apiserver's decoder and handlers do:
/// kind/apiVersion (when given) must be the endpoint's, and the name/namespace in the body must match the URL.
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

    public static void Namespace(JsonObject obj, ResourceDescriptor d, string? urlNamespace)
    {
        if (!d.Namespaced || urlNamespace is null) return;
        var ns = StringField(Metadata(obj), "namespace");
        if (ns is { Length: > 0 } && ns != urlNamespace)
            throw ApiError.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
    }

    public static void Name(JsonObject obj, string urlName)
    {
        var name = StringField(Metadata(obj), "name");
        if (name != urlName)
            throw ApiError.BadRequest($"the name of the object ({name ?? ""}) does not match the name on the URL ({urlName})");
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
