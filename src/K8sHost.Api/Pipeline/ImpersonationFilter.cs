using K8sHost.Api.Auth;
using K8sHost.Api.Auth.Authorization;
using K8sHost.Api.Responses;
using K8sHost.ApiMachinery.Errors;
using K8sHost.Registry.Contracts;
using Microsoft.AspNetCore.Http;

namespace K8sHost.Api.Pipeline;

/// <summary>
/// Step 3: Impersonate-User / -Group / -Uid / -Extra-* (kubectl --as, --as-group). Each requested identity part must
/// be allowed to the authenticated user with the `impersonate` verb (users, groups and serviceaccounts in the core
/// group; uids and userextras/KEY in authentication.k8s.io); the request then acts as the impersonated user. The
/// tenant stays the authenticated credential's.
/// </summary>
public sealed class ImpersonationFilter(RequestDelegate next, IAuthorizer authorizer, TenantResolver tenants, ITenantInitializer initializer)
{
    private const string UserHeader = "Impersonate-User";
    private const string GroupHeader = "Impersonate-Group";
    private const string UidHeader = "Impersonate-Uid";
    private const string ExtraPrefix = "Impersonate-Extra-";
    private const string ServiceAccountPrefix = "system:serviceaccount:";

    public async Task InvokeAsync(HttpContext http)
    {
        var headers = http.Request.Headers;
        var userName = headers[UserHeader].ToString();
        var groups = headers[GroupHeader].Where(g => g is not null).Select(g => g!).ToList();
        var uid = headers[UidHeader].ToString();
        var extras = headers.Where(h => h.Key.StartsWith(ExtraPrefix, StringComparison.OrdinalIgnoreCase)).ToList();
        if (userName.Length == 0 && groups.Count == 0 && uid.Length == 0 && extras.Count == 0)
        {
            await next(http);
            return;
        }
        try
        {
            var caller = http.GetCaller();
            var tenant = tenants.Resolve(caller.Authenticated);
            await initializer.EnsureAsync(tenant, http.RequestAborted);
            if (userName.Length == 0)
                throw ApiError.BadRequest("requested impersonation of groups, uid or extra without impersonating a user");

            var checks = new List<AuthorizationAttributes>();
            var user = caller.User;
            var impersonatedGroups = new List<string>(groups);
            if (userName.StartsWith(ServiceAccountPrefix, StringComparison.Ordinal) &&
                userName[ServiceAccountPrefix.Length..].Split(':') is [var saNs, var saName] && saNs.Length > 0 && saName.Length > 0)
            {
                checks.Add(Check(user, tenant, "serviceaccounts", "", saNs, saName));
                impersonatedGroups.Add("system:serviceaccounts");
                impersonatedGroups.Add("system:serviceaccounts:" + saNs);
            }
            else checks.Add(Check(user, tenant, "users", "", "", userName));
            checks.AddRange(groups.Select(g => Check(user, tenant, "groups", "", "", g)));
            if (uid.Length > 0) checks.Add(Check(user, tenant, "uids", "authentication.k8s.io", "", uid));
            foreach (var (key, values) in extras)
                foreach (var v in values)
                    checks.Add(Check(user, tenant, "userextras", "authentication.k8s.io", "", v ?? "") with
                    {
                        Subresource = Uri.UnescapeDataString(key[ExtraPrefix.Length..]).ToLowerInvariant(),
                    });

            foreach (var c in checks)
            {
                var result = authorizer.Authorize(c);
                if (!result.Allowed) throw ForbiddenErrors.For(c, result.Reason);
            }

            if (userName == UserInfo.Anonymous.Name)
            {
                if (!impersonatedGroups.Contains("system:unauthenticated")) impersonatedGroups.Add("system:unauthenticated");
            }
            else if (!impersonatedGroups.Contains("system:authenticated")) impersonatedGroups.Add("system:authenticated");
            http.SetCaller(caller with { User = new UserInfo(userName, impersonatedGroups, uid) });
            // Later steps and handlers must not see the headers as if they were the client's own.
            foreach (var h in headers.Keys.Where(k => k.StartsWith("Impersonate-", StringComparison.OrdinalIgnoreCase)).ToList()) headers.Remove(h);
        }
        catch (ApiError e)
        {
            await StatusResponses.WriteErrorAsync(http, e);
            return;
        }
        await next(http);
    }

    private static AuthorizationAttributes Check(UserInfo user, Tenant tenant, string resource, string group, string ns, string name) =>
        new(user, "impersonate", IsResourceRequest: true, ns, group, "", resource, Name: name) { Tenant = tenant };
}
