using System.Reflection;
using System.Text.Json.Nodes;
using K8sHost.Registry.Catalog;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace K8sHost.Api.OpenApi;

/// <summary>
/// Makes ASP.NET's schemas read like kube-apiserver's: descriptions from the model docs, the
/// x-kubernetes-group-version-kind array on kinds, plain integers (the web JSON defaults also accept numbers as
/// strings, which ASP.NET renders as anyOf integer/string), and the wire shapes of types with custom converters.
/// </summary>
internal sealed class KubernetesSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var docs = context.ApplicationServices.GetRequiredService<KubernetesModelDocs>();
        var type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;

        // Kubernetes schemas never say "nullable": an absent field is the only null.
        if (schema.Type is { } t) schema.Type = t & ~JsonSchemaType.Null;
        FixNumbers(schema, type);

        if (KubernetesSchemaNames.For(type) is not null)
        {
            // A model type becomes a component; ASP.NET hands its (shared) schema object to this transformer in the
            // context of whichever property reached it first, so the type's own description goes here and the
            // property's description goes on an allOf wrapper later (GroupVersionDocumentSplitter).
            ApplyCustomWireShape(schema, type);
            if (docs.ForType(type) is { } summary) schema.Description = summary;
            AddGroupVersionKinds(schema, type, context.ApplicationServices.GetRequiredService<ResourceCatalog>());
        }
        else if (context.JsonPropertyInfo is { AttributeProvider: PropertyInfo clr }
                 && docs.ForProperty(clr.DeclaringType!, clr.Name) is { } text)
        {
            schema.Description = text;
        }
        return Task.CompletedTask;
    }

    private static void FixNumbers(OpenApiSchema schema, Type type)
    {
        var numeric = type == typeof(int) || type == typeof(long) || type == typeof(short)
            ? JsonSchemaType.Integer
            : type == typeof(double) || type == typeof(float) || type == typeof(decimal) ? JsonSchemaType.Number : (JsonSchemaType?)null;
        if (numeric is null) return;
        schema.Type = numeric;
        schema.Pattern = null;
        schema.AnyOf = null;
    }

    // These types serialize through custom converters, for which ASP.NET can only emit an empty schema.
    private static void ApplyCustomWireShape(OpenApiSchema schema, Type type)
    {
        switch (type.Name)
        {
            case "IntOrString":
                schema.Type = JsonSchemaType.String;
                schema.Format = "int-or-string";
                SetExtension(schema, "x-kubernetes-int-or-string", true);
                break;
            case "ResourceQuantity":
                schema.Type = JsonSchemaType.String;
                break;
            case "V1Patch":
                schema.Type = JsonSchemaType.Object;
                schema.Properties = null;
                schema.Description = "Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.";
                break;
        }
    }

    private static void AddGroupVersionKinds(OpenApiSchema schema, Type type, ResourceCatalog catalog)
    {
        var gvks = new List<(string Group, string Version, string Kind)>();
        if (KubernetesSchemaNames.KindOf(type) is { } own) gvks.Add(own);
        // A served kind whose model constants differ (a kind served from a reused model type) is listed too.
        foreach (var d in catalog.All.Where(d => d.ModelType == type))
            if (!gvks.Contains((d.Group, d.Version, d.Kind))) gvks.Add((d.Group, d.Version, d.Kind));
        if (gvks.Count == 0) return;
        var array = new JsonArray();
        foreach (var (g, v, k) in gvks) array.Add(new JsonObject { ["group"] = g, ["kind"] = k, ["version"] = v });
        SetExtension(schema, "x-kubernetes-group-version-kind", array);
    }

    internal static void SetExtension(OpenApiSchema schema, string name, JsonNode value)
    {
        schema.Extensions ??= new Dictionary<string, IOpenApiExtension>();
        schema.Extensions[name] = new JsonNodeExtension(value);
    }
}
