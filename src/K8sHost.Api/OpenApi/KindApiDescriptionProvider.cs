using K8sHost.Registry.Catalog;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.Routing;

namespace K8sHost.Api.OpenApi;

/// <summary>
/// Describes every kind's REST operations to ASP.NET's API explorer, so Microsoft.AspNetCore.OpenApi generates the
/// operations, parameters and (referenced) component schemas from the model types. The real endpoints are generic
/// (one handler for all kinds), so they carry no typed metadata; the catalog is the source of truth instead.
/// </summary>
internal sealed class KindApiDescriptionProvider(ResourceCatalog catalog) : IApiDescriptionProvider
{
    public const string DocumentName = "kubernetes";

    private static readonly EmptyModelMetadataProvider Metadata = new();

    // Before the built-in providers (order 0 and up) so nothing else touches these descriptions.
    public int Order => -1100;

    public void OnProvidersExecuting(ApiDescriptionProviderContext context)
    {
        foreach (var d in catalog.All)
            foreach (var description in Describe(d))
                context.Results.Add(description);
    }

    public void OnProvidersExecuted(ApiDescriptionProviderContext context) { }

    private static IEnumerable<ApiDescription> Describe(ResourceDescriptor d)
    {
        var root = d.Group.Length == 0 ? $"api/{d.Version}" : $"apis/{d.Group}/{d.Version}";
        var collection = d.Namespaced ? $"{root}/namespaces/{{namespace}}/{d.Plural}" : $"{root}/{d.Plural}";
        var item = collection + "/{name}";
        var verbs = d.Verbs.ToHashSet(StringComparer.Ordinal);

        // Only one operation per kind names the kind's model type: PATCH, or for kinds without it (create-only reviews)
        // POST, else GET. Every typed reference makes ASP.NET walk the kind's whole type graph through the transformers
        // again (~30 ms per reference for a Pod, measured), and one reference already produces every component schema.
        // The other operations get their kind $ref added to the generated JSON afterwards
        // (GroupVersionDocumentSplitter.AttachKindSchemas); list responses stay untyped.
        var typed = verbs.Contains("patch") ? "patch" : verbs.Contains("create") ? "post" : "get";
        Type? TypedFor(string action) => action == typed ? d.ModelType : null;
        if (verbs.Contains("list"))
            yield return Op(d, "list", null, "GET", collection, null, null, Query.List);
        if (verbs.Contains("create"))
            yield return Op(d, "post", null, "POST", collection, TypedFor("post"), TypedFor("post"), Query.Write);
        if (verbs.Contains("get"))
            yield return Op(d, "get", null, "GET", item, TypedFor("get"), null, []);
        if (verbs.Contains("update"))
            yield return Op(d, "put", null, "PUT", item, null, null, Query.Write);
        if (verbs.Contains("patch"))
            yield return Op(d, "patch", null, "PATCH", item, d.ModelType, typeof(k8s.Models.V1Patch), Query.Patch);
        if (verbs.Contains("delete"))
            yield return Op(d, "delete", null, "DELETE", item, typeof(k8s.Models.V1Status), typeof(k8s.Models.V1DeleteOptions), Query.Delete);
        if (d.Subresources.Contains("status"))
        {
            yield return Op(d, "get", "status", "GET", item + "/status", null, null, []);
            yield return Op(d, "put", "status", "PUT", item + "/status", null, null, Query.Write);
            yield return Op(d, "patch", "status", "PATCH", item + "/status", null, typeof(k8s.Models.V1Patch), Query.Patch);
        }
    }

    private static ApiDescription Op(ResourceDescriptor d, string action, string? subresource, string method, string path,
        Type? response, Type? body, IReadOnlyList<(string Name, Type Type)> query)
    {
        // Upstream operation ids: patchNamespacedPod, readNodeStatus, listNamespacedLease.
        var verb = action switch { "get" => "read", "post" => "create", "put" => "replace", _ => action };
        var scope = d.Namespaced ? "Namespaced" : "";
        var sub = subresource is null ? "" : char.ToUpperInvariant(subresource[0]) + subresource[1..];
        var operationId = $"{verb}{GroupTag(d)}{scope}{d.Kind}{sub}";

        var action0 = new ActionDescriptor
        {
            AttributeRouteInfo = new AttributeRouteInfo { Name = operationId, Template = path },
            EndpointMetadata = [new TagsAttribute(Tag(d))],
        };
        var description = new ApiDescription
        {
            GroupName = DocumentName,
            HttpMethod = method,
            RelativePath = path,
            ActionDescriptor = action0,
        };
        description.Properties[typeof(KindOperation)] = new KindOperation(d, action, subresource);
        if (path.Contains("{name}", StringComparison.Ordinal)) description.ParameterDescriptions.Add(Path("name"));
        if (d.Namespaced) description.ParameterDescriptions.Add(Path("namespace"));
        foreach (var (name, type) in query)
            description.ParameterDescriptions.Add(new ApiParameterDescription
            {
                Name = name,
                Source = BindingSource.Query,
                Type = type,
                ModelMetadata = Metadata.GetMetadataForType(type),
            });
        if (body is not null)
        {
            description.ParameterDescriptions.Add(new ApiParameterDescription
            {
                Name = "body",
                Source = BindingSource.Body,
                Type = body,
                IsRequired = method != "DELETE",
                ModelMetadata = Metadata.GetMetadataForType(body),
            });
            foreach (var contentType in method == "PATCH" ? PatchContentTypes : ["application/json"])
                description.SupportedRequestFormats.Add(new ApiRequestFormat { MediaType = contentType });
        }
        // One response, JSON only, for the same reason as above; untyped operations get ASP.NET's default 200.
        if (response is not null)
            description.SupportedResponseTypes.Add(new ApiResponseType
            {
                StatusCode = 200,
                Type = response,
                ModelMetadata = Metadata.GetMetadataForType(response),
                ApiResponseFormats = { new ApiResponseFormat { MediaType = "application/json" } },
            });
        return description;
    }

    private static readonly string[] PatchContentTypes =
    [
        "application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json",
        "application/apply-patch+yaml",
    ];

    private static ApiParameterDescription Path(string name) => new()
    {
        Name = name,
        Source = BindingSource.Path,
        Type = typeof(string),
        IsRequired = true,
        ModelMetadata = Metadata.GetMetadataForType(typeof(string)),
    };

    // Upstream's tag ("core_v1", "coordination_v1") and the middle of its operation ids ("CoreV1").
    private static string GroupName(ResourceDescriptor d) => d.Group.Length == 0 ? "core" : d.Group.Split('.')[0];

    private static string Tag(ResourceDescriptor d) => $"{GroupName(d)}_{d.Version}";

    private static string GroupTag(ResourceDescriptor d) => Upper(GroupName(d)) + Upper(d.Version);

    private static string Upper(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    /// <summary>Operation-level query parameters, as kube-apiserver declares them.</summary>
    private static class Query
    {
        public static readonly (string, Type)[] Write =
            [("dryRun", typeof(string)), ("fieldManager", typeof(string)), ("fieldValidation", typeof(string))];

        // kubectl decides server-side field validation from these on the PATCH operation (kubectl-wire.md §9).
        public static readonly (string, Type)[] Patch = [.. Write, ("force", typeof(bool))];

        public static readonly (string, Type)[] Delete =
            [("dryRun", typeof(string)), ("gracePeriodSeconds", typeof(int)), ("propagationPolicy", typeof(string))];

        public static readonly (string, Type)[] List =
        [
            ("allowWatchBookmarks", typeof(bool)), ("continue", typeof(string)), ("fieldSelector", typeof(string)),
            ("labelSelector", typeof(string)), ("limit", typeof(int)), ("resourceVersion", typeof(string)),
            ("resourceVersionMatch", typeof(string)), ("sendInitialEvents", typeof(bool)), ("timeoutSeconds", typeof(int)),
            ("watch", typeof(bool)),
        ];
    }
}
