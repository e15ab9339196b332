using System.Text;
using K8sHost.ApiMachinery.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace K8sHost.Api.OpenApi;

/// <summary>
/// GET /openapi/v3 (index), GET /openapi/v3/{api/v1 | apis/g/v} (documents with ETag, 304 and immutable caching when
/// the hash matches), GET /openapi/v2 (Swagger 2.0 as JSON or gnostic protobuf, see OpenApiV2Endpoint), Swagger UI at
/// /swagger.
/// </summary>
public static class OpenApiEndpoints
{
    public static WebApplication MapK8sOpenApi(this WebApplication app)
    {
        app.MapGet("/openapi/v3", ServeIndexAsync).ExcludeFromDescription();
        app.MapGet("/openapi/v3/{**groupVersion}", ServeDocumentAsync).ExcludeFromDescription();
        app.MapMethods("/openapi/v2", ["GET", "HEAD"], OpenApiV2Endpoint.ServeAsync).ExcludeFromDescription();

        SwaggerUiSetup.Map(app);
        return app;
    }

    private static async Task ServeIndexAsync(HttpContext http, OpenApiDocumentCache cache)
    {
        var documents = await cache.GetAsync(http.RequestAborted);
        http.Response.ContentType = "application/json";
        http.Response.Headers.CacheControl = "no-cache, private";
        await http.Response.Body.WriteAsync(OpenApiDocumentCache.Index(documents), http.RequestAborted);
    }

    private static async Task ServeDocumentAsync(HttpContext http, string groupVersion, OpenApiDocumentCache cache)
    {
        var documents = await cache.GetAsync(http.RequestAborted);
        if (!documents.TryGetValue(groupVersion.TrimEnd('/'), out var doc))
        {
            await WriteNotFoundAsync(http);
            return;
        }
        var requested = http.Request.Query["hash"].ToString();
        if (requested.Length > 0 && !string.Equals(requested, doc.Hash, StringComparison.Ordinal))
        {
            // Like kube-apiserver: a stale hash moves permanently to the current one.
            http.Response.Headers.CacheControl = "no-cache, private";
            http.Response.Redirect($"/openapi/v3/{doc.GroupVersion}?hash={doc.Hash}", permanent: true);
            return;
        }
        var etag = $"\"{doc.Hash}\"";
        http.Response.Headers.ETag = etag;
        http.Response.Headers.CacheControl = requested.Length > 0 ? "public, immutable" : "no-cache, private";
        if (IfNoneMatch(http.Request, etag))
        {
            http.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        http.Response.ContentType = "application/json";
        http.Response.ContentLength = doc.Json.Length;
        await http.Response.Body.WriteAsync(doc.Json, http.RequestAborted);
    }

    internal static bool IfNoneMatch(HttpRequest request, string etag)
    {
        var header = request.Headers.IfNoneMatch.ToString();
        if (header.Length == 0) return false;
        if (header.Trim() == "*") return true;
        return EntityTagHeaderValue.TryParseList(header.Split(','), out var tags)
            && tags.Any(t => t.Tag.Equals(etag, StringComparison.Ordinal));
    }

    private static Task WriteNotFoundAsync(HttpContext http) =>
        WriteErrorAsync(http, new ApiError(404, "NotFound", "the server could not find the requested resource"));

    internal static async Task WriteErrorAsync(HttpContext http, ApiError error)
    {
        http.Response.StatusCode = error.Code;
        http.Response.ContentType = "application/json";
        await http.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(error.ToStatus().ToJsonString()), http.RequestAborted);
    }
}
