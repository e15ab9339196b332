using Microsoft.AspNetCore.Http;

namespace K8sHost.Api.Deadlines;

/// <summary>
/// Requests that stream for as long as the client wants, so no request deadline applies (kube-apiserver's long-running
/// check: the watch and proxy verbs, and the attach, exec, log, portforward and proxy subresources).
/// </summary>
public static class LongRunningRequests
{
    private static readonly string[] StreamingSubresources = ["attach", "exec", "log", "portforward", "proxy"];

    public static bool IsLongRunning(HttpRequest request)
    {
        var watch = request.Query["watch"].ToString();
        if (watch is "true" or "1" or "True") return true;
        var path = request.Path.Value ?? "";
        if (!path.StartsWith("/api/", StringComparison.Ordinal) && !path.StartsWith("/apis/", StringComparison.Ordinal)) return false;
        if (path.Contains("/watch/", StringComparison.Ordinal) || path.Contains("/proxy/", StringComparison.Ordinal)) return true;
        var last = path.TrimEnd('/');
        last = last[(last.LastIndexOf('/') + 1)..];
        return Array.IndexOf(StreamingSubresources, last) >= 0;
    }
}
