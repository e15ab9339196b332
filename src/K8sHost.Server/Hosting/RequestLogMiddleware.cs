using System.Diagnostics;
using System.Globalization;
using K8sHost.Api.Auth;
using K8sHost.Registry.Contracts;

namespace K8sHost.Server.Hosting;

/// <summary>
/// One line per request at -v 2 and up, as kube-apiserver's httplog: verb, URI, status, latency, user, user agent and
/// source address. Sits in front of authentication so rejected requests are logged too; only added when asked for,
/// so a default run pays nothing.
/// </summary>
public sealed class RequestLogMiddleware(RequestDelegate next, ILogger<RequestLogMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(http);
        }
        finally
        {
            var rc = http.GetRequestContext();
            // No context means authentication refused the request (the accessor then answers with the system identity).
            var user = ReferenceEquals(rc, RequestContext.System) ? "" : rc.User.Name;
            var latency = Stopwatch.GetElapsedTime(started).TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + "ms";
            logger.LogInformation("HTTP verb={Verb} URI={URI} resp={Status} latency={Latency} user={User} userAgent={UserAgent} srcIP={SrcIP}",
                http.Request.Method, http.Request.Path + http.Request.QueryString, http.Response.StatusCode, latency, user,
                http.Request.Headers.UserAgent.ToString(), $"{http.Connection.RemoteIpAddress}:{http.Connection.RemotePort}");
        }
    }
}
