using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace K8sHost.Api.OpenApi;

/// <summary>
/// Adds the per-operation extensions kubectl reads: x-kubernetes-action and the x-kubernetes-group-version-kind
/// OBJECT (kubectl's fieldValidation check matches a PATCH operation's GVK against the object it sends), and short
/// descriptions of the query parameters.
/// </summary>
internal sealed class KubernetesOperationTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (!context.Description.Properties.TryGetValue(typeof(KindOperation), out var value) || value is not KindOperation op)
            return Task.CompletedTask;
        var d = op.Descriptor;
        operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
        operation.Extensions["x-kubernetes-action"] = new JsonNodeExtension(JsonValue.Create(op.Action));
        operation.Extensions["x-kubernetes-group-version-kind"] = new JsonNodeExtension(
            new JsonObject { ["group"] = d.Group, ["kind"] = d.Kind, ["version"] = d.Version });
        operation.Description = $"{Verb(op.Action)} the {(op.Subresource is null ? "specified" : op.Subresource + " of the specified")} {d.Kind}";
        foreach (var p in operation.Parameters ?? [])
            if (p is OpenApiParameter parameter && ParameterDocs.TryGetValue(parameter.Name ?? "", out var text))
                parameter.Description = text;
        return Task.CompletedTask;
    }

    private static string Verb(string action) => action switch
    {
        "list" => "list or watch objects of kind",
        "post" => "create",
        "get" => "read",
        "put" => "replace",
        "patch" => "partially update",
        _ => action,
    };

    private static readonly Dictionary<string, string> ParameterDocs = new(StringComparer.Ordinal)
    {
        ["name"] = "name of the object",
        ["namespace"] = "object name and auth scope, such as for teams and projects",
        ["dryRun"] = "When present, indicates that modifications should not be persisted. The only valid value is All.",
        ["fieldManager"] = "a name associated with the actor or entity that is making these changes.",
        ["fieldValidation"] = "How the server handles unknown or duplicate fields in the request body: Ignore, Warn or Strict.",
        ["force"] = "Force is going to \"force\" Apply requests. It means user will re-acquire conflicting fields owned by other people.",
        ["gracePeriodSeconds"] = "The duration in seconds before the object should be deleted.",
        ["propagationPolicy"] = "Whether and how garbage collection will be performed: Orphan, Background or Foreground.",
        ["labelSelector"] = "A selector to restrict the list of returned objects by their labels.",
        ["fieldSelector"] = "A selector to restrict the list of returned objects by their fields.",
        ["limit"] = "The maximum number of responses to return for a list call.",
        ["continue"] = "The continue token from a previous list call, to retrieve the next chunk.",
        ["resourceVersion"] = "Constrains which resource versions the request may be served from.",
        ["resourceVersionMatch"] = "How resourceVersion is applied to list calls.",
        ["watch"] = "Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.",
        ["allowWatchBookmarks"] = "Requests watch events with type \"BOOKMARK\".",
        ["sendInitialEvents"] = "Starts a watch with synthetic ADDED events for the current state, then a bookmark.",
        ["timeoutSeconds"] = "Timeout for the list/watch call.",
    };
}
