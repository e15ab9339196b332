using K8sHost.Registry.Contracts;
using Microsoft.AspNetCore.Http;

namespace K8sHost.Api.Auth;

/// <summary>
/// Where the authentication + tenancy middleware leaves the caller's identity and tenant for the endpoints.
/// Endpoints never read headers for identity themselves.
/// </summary>
public static class RequestContextAccess
{
    private static readonly object Key = new();

    public static void SetRequestContext(this HttpContext http, RequestContext rc) => http.Items[Key] = rc;

    /// <summary>The caller and tenant; the system context when no middleware ran (tests that map endpoints alone).</summary>
    public static RequestContext GetRequestContext(this HttpContext http) =>
        http.Items.TryGetValue(Key, out var v) && v is RequestContext rc ? rc : RequestContext.System;
}
