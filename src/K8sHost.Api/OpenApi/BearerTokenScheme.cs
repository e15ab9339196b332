using System.Text.Json.Nodes;

namespace K8sHost.Api.OpenApi;

/// <summary>
/// The one security scheme kube-apiserver declares in its OpenAPI documents: an API key named "authorization" in the
/// header, which is how a bearer token travels. Swagger UI turns it into the Authorize button.
/// </summary>
internal static class BearerTokenScheme
{
    public const string Name = "BearerToken";

    private static JsonObject Scheme() => new()
    {
        ["description"] = "Bearer Token authentication",
        ["in"] = "header",
        ["name"] = "authorization",
        ["type"] = "apiKey",
    };

    /// <summary>components.securitySchemes (v3) and securityDefinitions (v2) have the same shape for an API key.</summary>
    public static JsonObject V3SecuritySchemes() => new() { [Name] = Scheme() };

    public static JsonObject V2SecurityDefinitions() => new() { [Name] = Scheme() };

    /// <summary>Every operation needs the token: one document-wide requirement.</summary>
    public static JsonArray Requirement() => [new JsonObject { [Name] = new JsonArray() }];
}
