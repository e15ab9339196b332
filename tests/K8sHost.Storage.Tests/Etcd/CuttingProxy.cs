using System.Net;
using System.Net.Sockets;

namespace K8sHost.Storage.Tests.Etcd;

/// <summary>
/// A loopback TCP proxy in front of etcd that can make one call ambiguous: once armed, it lets the next request
/// through to etcd, swallows etcd's answer and then cuts the connection. The client cannot tell whether its write
/// was applied — exactly the case a safe write retry must resolve.
/// </summary>
public sealed class CuttingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _upstream;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    // HTTP/2 control frames (SETTINGS/PING acks, WINDOW_UPDATE) are under 20 bytes and pass through;
    // a gRPC response (HEADERS + DATA + trailers) is larger.
    private const int ResponseBytes = 40;

    private int _state; // 0 idle, 1 armed (waiting for a request), 2 cutting (request sent, swallow the answer)

    public CuttingProxy(int upstreamPort)
    {
        _upstream = new IPEndPoint(IPAddress.Loopback, upstreamPort);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    /// <summary>How many connections were cut; the test asserts the ambiguity really happened.</summary>
    public int Cuts { get; private set; }

    public void ArmCut() => Interlocked.Exchange(ref _state, 1);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var upstream = new TcpClient();
        using (client)
        {
            try
            {
                await upstream.ConnectAsync(_upstream, _stop.Token);
                using var cut = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                var toServer = PumpAsync(client.GetStream(), upstream.GetStream(), toServer: true, cut);
                var toClient = PumpAsync(upstream.GetStream(), client.GetStream(), toServer: false, cut);
                await Task.WhenAny(toServer, toClient);
                await cut.CancelAsync();
            }
            catch (Exception)
            {
                // A cut or closed connection ends this pair; nothing else to do.
            }
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, bool toServer, CancellationTokenSource cut)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var read = await from.ReadAsync(buffer, cut.Token);
            if (read == 0)
            {
                return;
            }

            if (toServer)
            {
                Interlocked.CompareExchange(ref _state, 2, 1);
            }
            else if (read >= ResponseBytes && Interlocked.CompareExchange(ref _state, 0, 2) == 2)
            {
                // etcd has answered, so the write was applied: drop the answer and the connection.
                Cuts++;
                return;
            }

            await to.WriteAsync(buffer.AsMemory(0, read), cut.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }
}
