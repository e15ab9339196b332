using Microsoft.AspNetCore.Http;

namespace K8sHost.Api.Pipeline;

/// <summary>What the pipeline steps hand each other on the request: the request info and the authenticated caller.</summary>
public static class PipelineItems
{
    private static readonly object InfoKey = new();
    private static readonly object CallerKey = new();

    public static void SetRequestInfo(this HttpContext http, RequestInfo info) => http.Items[InfoKey] = info;

    public static RequestInfo? GetRequestInfo(this HttpContext http) => http.Items.TryGetValue(InfoKey, out var v) ? v as RequestInfo : null;

    internal static void SetCaller(this HttpContext http, Caller caller) => http.Items[CallerKey] = caller;

    internal static Caller GetCaller(this HttpContext http) => (Caller)http.Items[CallerKey]!;
}

/// <summary>
/// Who sent the request: <see cref="Authenticated"/> is who the credential names (its tenant binding included);
/// <see cref="User"/> is who the request acts as (differs after impersonation).
/// </summary>
internal sealed record Caller(Auth.AuthenticatedUser? Authenticated, Registry.Contracts.UserInfo User);
