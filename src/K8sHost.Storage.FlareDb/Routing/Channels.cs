using System.Collections.Concurrent;
using Grpc.Net.Client;

namespace K8sHost.Storage.FlareDb.Routing;

/// <summary>One HTTP/2 gRPC channel per address (PD members and stores), reused by every call.</summary>
internal sealed class Channels : IDisposable
{
    private readonly ConcurrentDictionary<string, GrpcChannel> _channels = new(StringComparer.Ordinal);
    private readonly TimeSpan _connectTimeout;

    public Channels(TimeSpan connectTimeout) => _connectTimeout = connectTimeout;

    public GrpcChannel For(string address) => _channels.GetOrAdd(address, Create);

    private GrpcChannel Create(string address)
    {
        var uri = address.Contains("://", StringComparison.Ordinal) ? address : "http://" + address;
        return GrpcChannel.ForAddress(uri, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                ConnectTimeout = _connectTimeout,
                EnableMultipleHttp2Connections = true,
                KeepAlivePingDelay = TimeSpan.FromSeconds(30),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
            },
            // Cancellation surfaces as OperationCanceledException so Polly's timeout recognises its own deadline.
            ThrowOperationCanceledOnCancellation = true,
        });
    }

    public void Dispose()
    {
        foreach (var channel in _channels.Values)
        {
            channel.Dispose();
        }

        _channels.Clear();
    }
}
