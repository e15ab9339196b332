using System.Net;
using Grpc.Net.Client;
using K8sHost.Storage.Etcd.Protocol;

namespace K8sHost.Storage.Etcd;

/// <summary>One etcd member the client can talk to: its address, channel and the generated stubs.</summary>
internal sealed class EtcdEndpoint : IDisposable
{
    public EtcdEndpoint(Uri address, TimeSpan callTimeout)
    {
        Address = address;
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = callTimeout,
            // Keepalive pings detect a member that hangs without closing the socket (long-lived watch streams).
            KeepAlivePingDelay = TimeSpan.FromSeconds(5),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(5),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
            EnableMultipleHttp2Connections = true,
        };
        Channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = handler,
            // So a cancelled/timed-out call surfaces as OperationCanceledException, which Polly's timeout recognises.
            ThrowOperationCanceledOnCancellation = true,
            // A member that comes back must be reachable again quickly: cap the reconnect backoff.
            InitialReconnectBackoff = TimeSpan.FromMilliseconds(100),
            MaxReconnectBackoff = TimeSpan.FromSeconds(1),
            MaxReceiveMessageSize = 64 * 1024 * 1024,
        });
        Kv = new KV.KVClient(Channel);
        Watch = new Watch.WatchClient(Channel);
    }

    public Uri Address { get; }

    public GrpcChannel Channel { get; }

    public KV.KVClient Kv { get; }

    public Watch.WatchClient Watch { get; }

    public void Dispose() => Channel.Dispose();
}

/// <summary>
/// The members of one etcd cluster. Calls go to one "active" member; a transient failure on it moves every
/// later call to the next member (round robin). etcd members all serve linearizable reads and forward writes to
/// the leader, so any healthy member is as good as another.
/// </summary>
internal sealed class EtcdEndpoints : IDisposable
{
    private readonly EtcdEndpoint[] _endpoints;
    private int _active;

    public EtcdEndpoints(IReadOnlyList<Uri> addresses, TimeSpan callTimeout)
    {
        if (addresses.Count == 0)
        {
            throw new ArgumentException("at least one etcd endpoint is required", nameof(addresses));
        }

        _endpoints = [.. addresses.Select(a => new EtcdEndpoint(a, callTimeout))];
    }

    public int Count => _endpoints.Length;

    public EtcdEndpoint Active => _endpoints[Volatile.Read(ref _active)];

    /// <summary>Moves off <paramref name="failed"/> unless another caller already did.</summary>
    public void ReportFailure(EtcdEndpoint failed)
    {
        var index = Array.IndexOf(_endpoints, failed);
        if (index >= 0)
        {
            Interlocked.CompareExchange(ref _active, (index + 1) % _endpoints.Length, index);
        }
    }

    public void Dispose()
    {
        foreach (var endpoint in _endpoints)
        {
            endpoint.Dispose();
        }
    }
}
