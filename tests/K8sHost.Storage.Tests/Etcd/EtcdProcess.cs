using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace K8sHost.Storage.Tests.Etcd;

/// <summary>
/// One real etcd member on 127.0.0.1 with a temp data dir. Can be stopped (killed) and started again on the same
/// ports and data, which is how outage tests simulate etcd going away and coming back.
/// </summary>
public sealed class EtcdProcess : IAsyncDisposable
{
    private static readonly HttpClient Health = new() { Timeout = TimeSpan.FromSeconds(2) };

    private readonly string _dataDir;
    private readonly string _arguments;
    private Process? _process;

    private EtcdProcess(string name, int clientPort, int peerPort, string initialCluster, string clusterToken)
    {
        Name = name;
        ClientPort = clientPort;
        PeerPort = peerPort;
        _dataDir = Path.Combine(Path.GetTempPath(), $"k8shost-etcd-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_dataDir);
        var client = ClientUrl.ToString().TrimEnd('/');
        var peer = $"http://127.0.0.1:{peerPort}";
        // Short heartbeat/election so a 3-member cluster elects a new leader quickly after a kill;
        // a 1 s progress interval so watch progress (bookmark) events show up within test time;
        // requests up to 4 MiB: etcd's 1.5 MiB default (request overhead included) is too small for a 1.5 MiB value.
        _arguments = string.Join(' ',
            $"--name {name} --data-dir {_dataDir}",
            $"--listen-client-urls {client} --advertise-client-urls {client}",
            $"--listen-peer-urls {peer} --initial-advertise-peer-urls {peer}",
            $"--initial-cluster {initialCluster} --initial-cluster-token {clusterToken} --initial-cluster-state new",
            "--heartbeat-interval 50 --election-timeout 500",
            "--experimental-watch-progress-notify-interval 1s",
            "--max-request-bytes 4194304",
            "--log-level error --logger zap");
    }

    public string Name { get; }

    public int ClientPort { get; }

    public int PeerPort { get; }

    public Uri ClientUrl => new($"http://127.0.0.1:{ClientPort}");

    public string PeerUrl => $"http://127.0.0.1:{PeerPort}";

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>A single-member cluster.</summary>
    public static EtcdProcess Single()
    {
        var (client, peer) = (FreePort(), FreePort());
        return new EtcdProcess("solo", client, peer, $"solo=http://127.0.0.1:{peer}", $"tok-{Guid.NewGuid():N}");
    }

    /// <summary>The members of one cluster (not started).</summary>
    public static IReadOnlyList<EtcdProcess> Cluster(int size)
    {
        var ports = Enumerable.Range(0, size).Select(i => (Name: $"m{i}", Client: FreePort(), Peer: FreePort())).ToList();
        var initial = string.Join(',', ports.Select(p => $"{p.Name}=http://127.0.0.1:{p.Peer}"));
        var token = $"tok-{Guid.NewGuid():N}";
        return [.. ports.Select(p => new EtcdProcess(p.Name, p.Client, p.Peer, initial, token))];
    }

    public void Start()
    {
        var info = new ProcessStartInfo("etcd", _arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(info) ?? throw new InvalidOperationException("could not start etcd");
        // Drain output so a chatty etcd never blocks on a full pipe.
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Waits until the member reports healthy (it has a leader and serves requests).</summary>
    public async Task WaitHealthyAsync(TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process is { HasExited: true })
            {
                throw new InvalidOperationException($"etcd {Name} exited with code {_process.ExitCode}");
            }

            try
            {
                var body = await Health.GetStringAsync(new Uri(ClientUrl, "/health"));
                if (body.Contains("\"true\"", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"etcd {Name} not healthy after {timeout}");
    }

    /// <summary>Kills the member (SIGKILL: no graceful leave, like a crash) and keeps its data dir.</summary>
    public void Kill()
    {
        if (_process is null)
        {
            return;
        }

        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        _process = null;
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }

        return ValueTask.CompletedTask;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
