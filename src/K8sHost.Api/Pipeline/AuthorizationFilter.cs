using K8sHost.Api.Auth;
using K8sHost.Api.Auth.Authorization;
using K8sHost.Api.Responses;
using Microsoft.AspNetCore.Http;

namespace K8sHost.Api.Pipeline;

/// <summary>
/// Step 6: may this user do this? Every request — resource or not, served or unknown — is asked; anything but Allow
/// is kube-apiserver's 403 Forbidden Status, and the handler never runs.
/// </summary>
public sealed class AuthorizationFilter(RequestDelegate next, IAuthorizer authorizer)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var attributes = Attributes(http);
        var result = authorizer.Authorize(attributes);
        if (!result.Allowed)
        {
            await StatusResponses.WriteErrorAsync(http, ForbiddenErrors.For(attributes, result.Reason));
            return;
        }
        await next(http);
    }

    public static AuthorizationAttributes Attributes(HttpContext http)
    {
        var info = http.GetRequestInfo()!;
        var rc = http.GetRequestContext();
        return new AuthorizationAttributes(rc.User, info.Verb, info.IsResourceRequest, info.Namespace, info.ApiGroup, info.ApiVersion,
            info.Resource, info.Subresource, info.Name, info.Path)
        { Tenant = rc.Tenant };
    }
}
