using Grpc.Core;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace K8sHost.Storage.Etcd;

/// <summary>How etcd/gRPC failures are classified.</summary>
internal static class EtcdFailures
{
    /// <summary>
    /// Failures worth retrying on (possibly another) member: the member is unreachable, or has no leader /
    /// lost it (etcd maps ErrNoLeader, ErrLeaderChanged and ErrTimeout to Unavailable), or the attempt ran out of time.
    /// </summary>
    public static bool IsTransient(Exception ex) => ex switch
    {
        RpcException rpc => rpc.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded
            || (rpc.StatusCode == StatusCode.Internal && IsBrokenConnection(rpc.Status.Detail)),
        TimeoutRejectedException => true,
        HttpRequestException or IOException => true,
        _ => false,
    };

    // grpc-dotnet reports a connection that died mid-call as Internal with the transport's message.
    private static bool IsBrokenConnection(string detail) =>
        detail.Contains("reset", StringComparison.OrdinalIgnoreCase)
        || detail.Contains("ended prematurely", StringComparison.OrdinalIgnoreCase)
        || detail.Contains("aborted", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// True only when the call cannot have reached etcd's state machine: the connection was refused, the breaker
    /// rejected the call, or etcd refused it up front (no leader, too many requests). Anything else (timeouts, a
    /// connection lost mid-call, etcd's own "request timed out") leaves a write's outcome unknown.
    /// </summary>
    public static bool CertainlyNotSent(Exception ex) => ex switch
    {
        BrokenCircuitException => true,
        // etcd answered with an error of its own (not a transport failure): the request was refused, not applied.
        RpcException rpc when !IsTransient(rpc) && rpc.StatusCode != StatusCode.Cancelled => true,
        RpcException rpc => rpc.StatusCode == StatusCode.Unavailable
            && (rpc.Status.Detail.Contains("etcdserver: no leader", StringComparison.Ordinal)
                || rpc.Status.Detail.Contains("etcdserver: too many requests", StringComparison.Ordinal)
                || rpc.Status.Detail.Contains("Error connecting to subchannel", StringComparison.Ordinal)
                || IsConnectionRefused(rpc)),
        HttpRequestException => IsConnectionRefused(ex),
        _ => false,
    };

    // grpc-dotnet reports a failed connect as Unavailable ("Error starting gRPC call" / "Error connecting to subchannel")
    // with the SocketException somewhere in DebugException's chain.
    private static bool IsConnectionRefused(Exception ex)
    {
        for (Exception? e = ex is RpcException rpc ? rpc.Status.DebugException ?? rpc : ex; e is not null; e = e.InnerException)
        {
            if (e is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionRefused }) return true;
        }

        return ex is RpcException r && r.Status.Detail.Contains("Connection refused", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>etcd's ErrCompacted ("mvcc: required revision has been compacted") comes back as OutOfRange.</summary>
    public static bool IsCompacted(Exception ex) =>
        ex is RpcException rpc && rpc.Status.Detail.Contains("required revision has been compacted", StringComparison.Ordinal);

    /// <summary>etcd's ErrFutureRev: the requested revision is newer than the store.</summary>
    public static bool IsFutureRevision(Exception ex) =>
        ex is RpcException rpc && rpc.Status.Detail.Contains("future revision", StringComparison.Ordinal);

    /// <summary>One line for logs and the 503 body.</summary>
    public static string Describe(Exception ex) => ex switch
    {
        BrokenCircuitException => "circuit open after repeated failures",
        TimeoutRejectedException => "call timed out",
        RpcException rpc => $"{rpc.StatusCode}: {FirstLine(rpc.Status.Detail)}",
        _ => FirstLine(ex.Message),
    };

    private static string FirstLine(string text)
    {
        var newline = text.IndexOfAny(['\r', '\n']);
        return newline < 0 ? text : text[..newline];
    }
}
