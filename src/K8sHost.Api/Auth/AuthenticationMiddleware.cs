using K8sHost.ApiMachinery.Errors;
using K8sHost.Registry.Contracts;
using Microsoft.AspNetCore.Http;

namespace K8sHost.Api.Auth;

/// <summary>
/// Authenticates every request and attaches the caller and tenant to it. Health and version endpoints are open,
/// as on kube-apiserver (its system:public-info-viewer role). Everything else without a valid token gets a 401 Status.
/// </summary>
public sealed class AuthenticationMiddleware(RequestDelegate next, TokenAuthenticator authenticator, TenantResolver tenants)
{
    private static readonly HashSet<string> OpenPaths = new(StringComparer.Ordinal)
    {
        "/healthz", "/livez", "/readyz", "/version",
    };

    public async Task InvokeAsync(HttpContext http)
    {
        var path = http.Request.Path.Value ?? "/";
        var user = authenticator.Authenticate(http.Request.Headers.Authorization.ToString());
        if (user is null)
        {
            if (!OpenPaths.Contains(path.TrimEnd('/')) && !path.StartsWith("/swagger", StringComparison.Ordinal))
            {
                await StatusWriter.WriteAsync(http, ApiError.Unauthorized());
                return;
            }
            user = UserInfo.Anonymous;
        }
        http.SetRequestContext(new RequestContext(tenants.Resolve(user), user));
        await next(http);
    }
}
