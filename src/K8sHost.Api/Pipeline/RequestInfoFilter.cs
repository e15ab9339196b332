using Microsoft.AspNetCore.Http;

namespace K8sHost.Api.Pipeline;

/// <summary>Step 1: what the request asks for, before anyone looks at who asks.</summary>
public sealed class RequestInfoFilter(RequestDelegate next, RequestInfoResolver resolver)
{
    public Task InvokeAsync(HttpContext http)
    {
        http.SetRequestInfo(resolver.Resolve(http.Request));
        return next(http);
    }
}
