using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace K8sHost.Api.OpenApi;

/// <summary>
/// Swagger UI at /swagger: Swashbuckle serves the static bundle; the page itself (SwaggerUi/index.html) and its script
/// (SwaggerUi/kubernetes-swagger.js) are ours, because the OpenAPI documents need a bearer token, like kube-apiserver's.
/// The page asks for the token with the Authorize button before it fetches anything, keeps it for the browser session
/// and sends it with every request; it then lists the group-versions from the live /openapi/v3 index. Both files are
/// served without authentication (they hold no API data); the documents stay behind it.
/// </summary>
internal static class SwaggerUiSetup
{
    public const string RoutePrefix = "swagger";
    private const string ScriptName = "kubernetes-swagger.js";
    private const string ResourcePrefix = "K8sHost.Api.OpenApi.SwaggerUi.";

    public static void Map(WebApplication app)
    {
        app.MapGet($"/{RoutePrefix}/{ScriptName}", ServeScriptAsync).ExcludeFromDescription();
        app.UseSwaggerUI(ui =>
        {
            ui.RoutePrefix = RoutePrefix;
            ui.DocumentTitle = "Kubernetes API";
            ui.IndexStream = () => Resource("index.html");
        });
    }

    private static async Task ServeScriptAsync(HttpContext http)
    {
        http.Response.ContentType = "text/javascript; charset=utf-8";
        http.Response.Headers.CacheControl = "no-cache";
        await using var script = Resource(ScriptName);
        await script.CopyToAsync(http.Response.Body, http.RequestAborted);
    }

    private static Stream Resource(string name) =>
        typeof(SwaggerUiSetup).Assembly.GetManifestResourceStream(ResourcePrefix + name)
        ?? throw new InvalidOperationException($"embedded resource {ResourcePrefix + name} is missing from K8sHost.Api");
}
