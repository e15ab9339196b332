using K8sHost.ApiMachinery.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace K8sHost.Api.Discovery;

/// <summary>GET /api, /apis, /api/v1, /apis/{group}, /apis/{group}/{version}.</summary>
public static class DiscoveryEndpoints
{
    public static void Map(IEndpointRouteBuilder app, Func<RequestDelegate, RequestDelegate> wrap)
    {
        app.MapGet("/api", wrap(async http =>
        {
            var docs = Docs(http);
            if (AggregatedVersion(http.Request.Headers.Accept) is { } v)
                await WriteAsync(http, docs.AggregatedDocument(core: true, v), DiscoveryDocuments.AggregatedContentType(v));
            else
                await WriteAsync(http, docs.CoreVersionsDocument(ServerAddress(http)), "application/json");
        }));
        app.MapGet("/apis", wrap(async http =>
        {
            var docs = Docs(http);
            if (AggregatedVersion(http.Request.Headers.Accept) is { } v)
                await WriteAsync(http, docs.AggregatedDocument(core: false, v), DiscoveryDocuments.AggregatedContentType(v));
            else
                await WriteAsync(http, docs.GroupListDocument, "application/json");
        }));
        app.MapGet("/api/{version}", wrap(http => WriteOrNotFound(http, Docs(http).ResourceListDocument("", Route(http, "version")))));
        app.MapGet("/apis/{group}", wrap(http => WriteOrNotFound(http, Docs(http).GroupDocument(Route(http, "group")))));
        app.MapGet("/apis/{group}/{version}", wrap(http =>
            WriteOrNotFound(http, Docs(http).ResourceListDocument(Route(http, "group"), Route(http, "version")))));
    }

    /// <summary>
    /// "v2"/"v2beta1" when the client prefers aggregated discovery, else null (legacy). client-go lists the aggregated
    /// types first and plain JSON last, so the first recognisable entry decides.
    /// </summary>
    public static string? AggregatedVersion(StringValues accept)
    {
        if (!MediaTypeHeaderValue.TryParseList(accept, out var list)) return null;
        foreach (var mt in list)
        {
            string? @as = null, g = null, v = null;
            foreach (var p in mt.Parameters)
            {
                var value = HeaderUtilities.RemoveQuotes(p.Value).Value;
                switch (p.Name.Value?.ToLowerInvariant())
                {
                    case "as": @as = value; break;
                    case "g": g = value; break;
                    case "v": v = value; break;
                }
            }
            if (@as == "APIGroupDiscoveryList" && g == "apidiscovery.k8s.io" && v is "v2" or "v2beta1") return v;
            if (@as is null) return null;
        }
        return null;
    }

    private static DiscoveryDocuments Docs(HttpContext http) => http.RequestServices.GetRequiredService<DiscoveryDocuments>();

    private static string Route(HttpContext http, string key) => http.Request.RouteValues[key] as string ?? "";

    private static string ServerAddress(HttpContext http) =>
        http.Request.Host.HasValue ? http.Request.Host.Value! : $"{http.Connection.LocalIpAddress}:{http.Connection.LocalPort}";

    private static Task WriteOrNotFound(HttpContext http, byte[]? doc) =>
        doc is null ? throw NotFoundPath() : WriteAsync(http, doc, "application/json");

    public static ApiError NotFoundPath() => new(404, "NotFound", "the server could not find the requested resource");

    private static async Task WriteAsync(HttpContext http, byte[] body, string contentType)
    {
        http.Response.ContentType = contentType;
        http.Response.ContentLength = body.Length;
        await http.Response.Body.WriteAsync(body, http.RequestAborted);
    }
}
