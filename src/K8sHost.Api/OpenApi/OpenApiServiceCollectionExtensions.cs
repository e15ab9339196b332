using K8sHost.Registry.Catalog;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.OpenApi;

namespace K8sHost.Api.OpenApi;

public static class OpenApiServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Kubernetes OpenAPI v3 generator. Needs a <see cref="ResourceCatalog"/> in DI (AddK8sApi), which is
    /// resolved only when the first document is generated, so call order does not matter.
    /// </summary>
    public static IServiceCollection AddK8sOpenApi(this IServiceCollection services)
    {
        services.TryAddSingleton<KubernetesModelDocs>();
        services.TryAddSingleton<OpenApiDocumentCache>();
        services.TryAddEnumerable(ServiceDescriptor.Transient<IApiDescriptionProvider, KindApiDescriptionProvider>());
        services.AddOpenApi(KindApiDescriptionProvider.DocumentName, options =>
        {
            // kube-apiserver serves OpenAPI 3.0; kubectl's parser expects 3.0 shapes (no type arrays).
            options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_0;
            // Only the catalog's kinds: the app's own endpoints (health, discovery, the generic handlers) stay out.
            options.ShouldInclude = d => d.GroupName == KindApiDescriptionProvider.DocumentName && d.Properties.ContainsKey(typeof(KindOperation));
            options.CreateSchemaReferenceId = info =>
                KubernetesSchemaNames.For(info.Type) ?? OpenApiOptions.CreateDefaultSchemaReferenceId(info);
            options.AddSchemaTransformer<KubernetesSchemaTransformer>();
            options.AddOperationTransformer<KubernetesOperationTransformer>();
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo { Title = "Kubernetes", Version = "v1.35.0" };
                document.Servers = [];
                return Task.CompletedTask;
            });
        });
        return services;
    }
}
