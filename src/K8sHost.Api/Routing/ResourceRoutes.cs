using K8sHost.Api.Endpoints;
using K8sHost.Api.Metrics;
using K8sHost.Registry.Catalog;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace K8sHost.Api.Routing;

/// <summary>
/// Maps the REST paths of every descriptor in the catalog. Each path takes every method and the handler answers 405
/// itself, so a verb the kind lacks gets a Status body instead of an empty 405 from routing.
/// </summary>
public static class ResourceRoutes
{
    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];

    /// <summary>The route templates mapped for one descriptor (also used by tests that compare routes with discovery).</summary>
    public static IEnumerable<string> Templates(ResourceDescriptor d) => Build(d).Select(r => r.Template);

    public static void Map(IEndpointRouteBuilder app, ResourceCatalog catalog, Func<RequestDelegate, RequestDelegate> wrap)
    {
        foreach (var d in catalog.All)
            foreach (var (template, handler, metadata) in Build(d))
                app.MapMethods(template, Methods, wrap(handler)).WithDisplayName($"{d.QualifiedPlural}/{d.Version} {template}")
                    .WithMetadata(metadata);
    }

    private static List<(string Template, RequestDelegate Handler, ResourceRouteMetadata Metadata)> Build(ResourceDescriptor d)
    {
        var root = d.Group.Length == 0 ? $"/api/{d.Version}" : $"/apis/{d.Group}/{d.Version}";
        var p = d.Plural;
        var routes = new RouteList(d);
        if (d.Namespaced)
        {
            var ns = "namespaces/{namespace}";
            routes.Add(($"{root}/{ns}/{p}", http => ResourceHandlers.Collection(http, d, Ns(http), legacyWatch: false, allNamespaces: false)));
            routes.Add(($"{root}/{ns}/{p}/{{name}}", http => ResourceHandlers.Item(http, d, Ns(http), Name(http), legacyWatch: false)));
            foreach (var sub in d.Subresources)
                routes.Add(($"{root}/{ns}/{p}/{{name}}/{sub}", http => ResourceHandlers.Subresource(http, d, Ns(http), Name(http), sub)));
            routes.Add(($"{root}/{p}", http => ResourceHandlers.Collection(http, d, null, legacyWatch: false, allNamespaces: true)));
            routes.Add(($"{root}/watch/{ns}/{p}", http => ResourceHandlers.Collection(http, d, Ns(http), legacyWatch: true, allNamespaces: false)));
            routes.Add(($"{root}/watch/{ns}/{p}/{{name}}", http => ResourceHandlers.Item(http, d, Ns(http), Name(http), legacyWatch: true)));
            routes.Add(($"{root}/watch/{p}", http => ResourceHandlers.Collection(http, d, null, legacyWatch: true, allNamespaces: true)));
        }
        else
        {
            routes.Add(($"{root}/{p}", http => ResourceHandlers.Collection(http, d, null, legacyWatch: false, allNamespaces: false)));
            routes.Add(($"{root}/{p}/{{name}}", http => ResourceHandlers.Item(http, d, null, Name(http), legacyWatch: false)));
            foreach (var sub in d.Subresources)
                routes.Add(($"{root}/{p}/{{name}}/{sub}", http => ResourceHandlers.Subresource(http, d, null, Name(http), sub)));
            routes.Add(($"{root}/watch/{p}", http => ResourceHandlers.Collection(http, d, null, legacyWatch: true, allNamespaces: false)));
            routes.Add(($"{root}/watch/{p}/{{name}}", http => ResourceHandlers.Item(http, d, null, Name(http), legacyWatch: true)));
        }
        return routes;
    }

    /// <summary>Route templates with the metadata request metrics read (shape taken from the template's own form).</summary>
    private sealed class RouteList(ResourceDescriptor d) : List<(string, RequestDelegate, ResourceRouteMetadata)>
    {
        public void Add((string Template, RequestDelegate Handler) route)
        {
            var t = route.Template;
            var legacyWatch = t.Contains("/watch/", StringComparison.Ordinal);
            var item = t.Contains("{name}", StringComparison.Ordinal);
            var sub = item && !t.EndsWith("{name}", StringComparison.Ordinal) ? t[(t.LastIndexOf('/') + 1)..] : null;
            var shape = item ? RouteShape.Item : t.Contains("{namespace}", StringComparison.Ordinal) ? RouteShape.NamespaceCollection : RouteShape.ClusterCollection;
            Add((t, route.Handler, new ResourceRouteMetadata(d, shape, sub, legacyWatch)));
        }
    }

    private static string Ns(HttpContext http) => (string)http.Request.RouteValues["namespace"]!;

    private static string Name(HttpContext http) => (string)http.Request.RouteValues["name"]!;
}
