using K8sHost.Api.Auth;
using K8sHost.Registry.Contracts;
using Microsoft.AspNetCore.Http;

namespace K8sHost.Api.Pipeline;

/// <summary>
/// Step 4: which tenant the request works in, decided by the authenticated credential (never by impersonation), and
/// the tenant prepared on its first request. Leaves the tenant and the acting user for the endpoints.
/// </summary>
public sealed class TenantFilter(RequestDelegate next, TenantResolver tenants, ITenantInitializer initializer)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var caller = http.GetCaller();
        var tenant = tenants.Resolve(caller.Authenticated);
        await initializer.EnsureAsync(tenant, http.RequestAborted);
        http.SetRequestContext(new RequestContext(tenant, caller.User));
        await next(http);
    }
}
