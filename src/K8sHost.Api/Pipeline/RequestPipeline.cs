using Microsoft.AspNetCore.Builder;

namespace K8sHost.Api.Pipeline;

/// <summary>
/// The request pipeline, in one place, in kube-apiserver's filter order. Every request (resource or not) passes each
/// step before any endpoint runs; a step that refuses answers with a Status and stops the chain.
/// </summary>
public static class RequestPipeline
{
    /// <summary>The Swagger UI's page and script: static files holding no cluster data (the documents it then fetches
    /// need a token), served to a browser before it has one, so they bypass the pipeline.</summary>
    public const string SwaggerUiPath = "/swagger";

    public static IApplicationBuilder UseK8sRequestPipeline(this IApplicationBuilder app) =>
        app.UseWhen(http => !http.Request.Path.StartsWithSegments(SwaggerUiPath), UseFilters);

    private static void UseFilters(IApplicationBuilder app)
    {
        app.UseMiddleware<RequestInfoFilter>();     // 1. verb, group, version, resource, subresource, namespace, name (or path)
        app.UseMiddleware<AuthenticationFilter>();  // 2. credential → user (401 when invalid or missing)
        app.UseMiddleware<ImpersonationFilter>();   // 3. Impersonate-* headers, allowed by the `impersonate` verb
        app.UseMiddleware<TenantFilter>();          // 4. organization/project from the credential; tenant bootstrap
        // 5. priority and fairness would go here (kube-apiserver's WithPriorityAndFairness); not implemented.
        app.UseMiddleware<AuthorizationFilter>();   // 6. the authorizer decides; 403 Forbidden otherwise
        // 7. admission runs inside the registry (strategies); then the endpoint.
    }
}
