using System.Net;
using System.Net.Sockets;
using System.Text;
using K8sHost.FlareDb.ProtocolServer.Cluster;
using K8sHost.FlareDb.ProtocolServer.Services;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace K8sHost.FlareDb.ProtocolServer;

/// <summary>
/// A FlareDB/TiKV protocol test server: the PD and raw-KV gRPC subset over an in-memory engine, on 127.0.0.1 with
/// HTTP/2 cleartext. PD listens on <see cref="PdPort"/>, store n on StorePorts[n-1]; regions are split at the given
/// keys and led alternately by the stores. Tests reach into <see cref="Cluster"/> to split regions, move leaders
/// and inject faults; <see cref="StopAsync"/> + <see cref="StartAsync"/> model a real outage (connections refused)
/// with the data kept.
/// </summary>
public sealed class FlareDbProtocolTestServer : IAsyncDisposable
{
    private WebApplication? _app;

    private FlareDbProtocolTestServer(ClusterState cluster, ServerInfo info)
    {
        Cluster = cluster;
        Info = info;
    }

    public ClusterState Cluster { get; }

    public ServerInfo Info { get; }

    public int PdPort => Info.PdPort;

    /// <summary>The store URL for the FlareDB driver.</summary>
    public string Url => $"flaredb://127.0.0.1:{PdPort}";

    /// <summary>Starts on free loopback ports (or the given PD port, stores on the next ports) with regions split at <paramref name="splitKeys"/>.</summary>
    public static async Task<FlareDbProtocolTestServer> StartNewAsync(IEnumerable<string>? splitKeys = null, int storeCount = 2, int pdPort = 0, CancellationToken ct = default)
    {
        var ports = pdPort > 0 ? Enumerable.Range(pdPort, storeCount + 1).ToList() : FreePorts(storeCount + 1);
        var info = new ServerInfo(ports[0], ports.Skip(1).ToList());
        var cluster = new ClusterState(info.StorePorts, (splitKeys ?? []).Select(Encoding.UTF8.GetBytes));
        var server = new FlareDbProtocolTestServer(cluster, info);
        await server.StartAsync(ct);
        return server;
    }

    public async Task StartAsync(CancellationToken ct = default)
    {
        if (_app is not null)
        {
            return;
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            foreach (var port in Info.StorePorts.Prepend(Info.PdPort))
            {
                kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2);
            }
        });
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(Cluster);
        builder.Services.AddSingleton(Info);
        var app = builder.Build();
        app.MapGrpcService<PdService>();
        app.MapGrpcService<TikvService>();
        await app.StartAsync(ct);
        _app = app;
    }

    /// <summary>Stops listening; clients see connection refused until <see cref="StartAsync"/>. Data is kept.</summary>
    public async Task StopAsync()
    {
        var app = Interlocked.Exchange(ref _app, null);
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>Blocks until the host shuts down (exe mode).</summary>
    public Task WaitForShutdownAsync() => _app?.WaitForShutdownAsync() ?? Task.CompletedTask;

    public ValueTask DisposeAsync() => new(StopAsync());

    private static List<int> FreePorts(int count)
    {
        // Hold every listener until all ports are chosen so the same port is not handed out twice.
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        listeners.ForEach(l => l.Start());
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToList();
        listeners.ForEach(l => l.Stop());
        return ports;
    }
}
