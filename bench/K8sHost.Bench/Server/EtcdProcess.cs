using System.Diagnostics;
using K8sHost.Storage;
using K8sHost.Storage.Etcd;

namespace K8sHost.Bench.Server;

/// <summary>A private single-member etcd on free loopback ports with a temp data dir (default durability: fsync on).</summary>
public sealed class EtcdProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dataDir;

    private EtcdProcess(Process process, string dataDir, int clientPort)
    {
        _process = process;
        _dataDir = dataDir;
        ClientPort = clientPort;
    }

    public int ClientPort { get; }
    public string StoreUrl => $"etcd://127.0.0.1:{ClientPort}";
    public int Pid => _process.Id;

    public static bool IsInstalled() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => d.Length > 0 && File.Exists(Path.Combine(d, "etcd")));

    public static async Task<EtcdProcess> StartAsync(TimeSpan timeout)
    {
        var dataDir = Directory.CreateTempSubdirectory("k8shost-bench-etcd-").FullName;
        int client = FreePort.Next(), peer = FreePort.Next();
        var psi = new ProcessStartInfo("etcd") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[]
                 {
                     "--name", "bench", "--data-dir", dataDir,
                     "--listen-client-urls", $"http://127.0.0.1:{client}", "--advertise-client-urls", $"http://127.0.0.1:{client}",
                     "--listen-peer-urls", $"http://127.0.0.1:{peer}", "--initial-advertise-peer-urls", $"http://127.0.0.1:{peer}",
                     "--initial-cluster", $"bench=http://127.0.0.1:{peer}",
                     "--quota-backend-bytes", (8L << 30).ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--logger", "zap", "--log-level", "error",
                 })
            psi.ArgumentList.Add(a);
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var etcd = new EtcdProcess(process, dataDir, client);

        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"etcd exited with {process.ExitCode}");
            try
            {
                await using var probe = new EtcdStore([new Uri($"http://127.0.0.1:{client}")], new StoreOptions { CallTimeout = TimeSpan.FromSeconds(1) });
                await probe.GetCurrentRevisionAsync();
                return etcd;
            }
            catch (StoreUnavailableException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
        }
        _process.Dispose();
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
