using K8sHost.Api.Auth;
using K8sHost.Api.Responses;
using K8sHost.ApiMachinery.Errors;
using K8sHost.Registry.Contracts;
using Microsoft.AspNetCore.Http;

namespace K8sHost.Api.Pipeline;

/// <summary>
/// Step 2: who sends the request. An invalid credential is a 401 Status. No credential is system:anonymous when
/// --anonymous-auth is on, or on the open health and version paths; otherwise a 401 Status.
/// </summary>
public sealed class AuthenticationFilter(RequestDelegate next, TokenAuthenticator tokens, RequestPipelineOptions options)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var outcome = tokens.Authenticate(http.Request.Headers.Authorization.ToString());
        if (outcome.Warning is { } warning) WarningHeaders.Add(http.Response, [warning]);
        switch (outcome.State)
        {
            case CredentialState.Valid:
                http.SetCaller(new Caller(outcome.Caller, outcome.Caller!.User));
                break;
            case CredentialState.None when options.AnonymousAuth || IsOpen(http.Request.Path.Value):
                http.SetCaller(new Caller(null, UserInfo.Anonymous));
                break;
            default:
                await StatusResponses.WriteErrorAsync(http, ApiError.Unauthorized());
                return;
        }
        await next(http);
    }

    private static bool IsOpen(string? path) => path is not null && RequestPipelineOptions.OpenPaths.Contains(path.Length > 1 ? path.TrimEnd('/') : path);
}
