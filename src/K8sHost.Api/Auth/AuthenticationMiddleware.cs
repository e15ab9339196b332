using K8sHost.Api.Responses;
using K8sHost.ApiMachinery.Errors;
using K8sHost.Registry.Contracts;
using Microsoft.AspNetCore.Http;

namespace K8sHost.Api.Auth;

/// <summary>
/// Authenticates every request and attaches the caller and tenant to it. Health and version endpoints are open,
/// as on kube-apiserver (its system:public-info-viewer role). Everything else without a valid token gets a 401 Status.
/// </summary>
public sealed class AuthenticationMiddleware(RequestDelegate next, TokenAuthenticator authenticator, TenantResolver tenants,
    ITenantInitializer initializer)
{
    private static readonly HashSet<string> OpenPaths = new(StringComparer.Ordinal)
    {
        "/healthz", "/livez", "/readyz", "/version",
    };

    public async Task InvokeAsync(HttpContext http)
    {
        var path = http.Request.Path.Value ?? "/";
        var caller = authenticator.Authenticate(http.Request.Headers.Authorization.ToString());
        var user = caller?.User;
        if (user is null)
        {
            if (!OpenPaths.Contains(path.TrimEnd('/')) && !path.StartsWith("/swagger", StringComparison.Ordinal))
            {
                await StatusResponses.WriteErrorAsync(http, ApiError.Unauthorized());
                return;
            }
            user = UserInfo.Anonymous;
        }
        var tenant = tenants.Resolve(caller);
        await initializer.EnsureAsync(tenant, http.RequestAborted);
        http.SetRequestContext(new RequestContext(tenant, user));
        await next(http);
    }
}
