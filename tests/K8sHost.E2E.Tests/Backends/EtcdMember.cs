using System.Diagnostics;
using K8sHost.E2E.Tests.Infrastructure;

namespace K8sHost.E2E.Tests.Backends;

/// <summary>
/// One real single-member etcd (the Debian `etcd` binary) on free 127.0.0.1 ports with a temp data dir. Kill() is a
/// crash (SIGKILL); Start() again reuses the same ports and data, which is how the outage tests take etcd away and
/// bring it back.
/// </summary>
public sealed class EtcdMember : IAsyncDisposable
{
    private static readonly HttpClient Health = new() { Timeout = TimeSpan.FromSeconds(2) };

    private readonly List<string> _arguments;
    private Process? _process;

    public EtcdMember()
    {
        ClientPort = FreePort.Next();
        var peerPort = FreePort.Next();
        DataDir = Directory.CreateTempSubdirectory("k8shost-e2e-etcd-").FullName;
        var client = $"http://127.0.0.1:{ClientPort}";
        var peer = $"http://127.0.0.1:{peerPort}";
        // Limits as in the brief and docker-compose: 4 MiB requests (etcd's 1.5 MiB default cuts large objects) and
        // a 1 s progress notify interval so the server's watch feed learns the revision while idle.
        _arguments =
        [
            "--name", "e2e", "--data-dir", DataDir,
            "--listen-client-urls", client, "--advertise-client-urls", client,
            "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
            "--initial-cluster", $"e2e={peer}", "--initial-cluster-state", "new",
            "--max-request-bytes", "4194304",
            "--experimental-watch-progress-notify-interval", "1s",
            "--log-level", "error", "--logger", "zap",
        ];
    }

    public int ClientPort { get; }

    public string DataDir { get; }

    public string StorageUrl => $"etcd://127.0.0.1:{ClientPort}";

    /// <summary>Starts etcd and waits until it reports healthy (it has a leader and serves requests).</summary>
    public async Task StartAsync(TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo("etcd") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in _arguments) psi.ArgumentList.Add(a);
        _process = Process.Start(psi) ?? throw new InvalidOperationException("could not start etcd");
        // Drain the pipes so a chatty etcd never blocks on a full one.
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < (timeout ?? TimeSpan.FromSeconds(20)))
        {
            if (_process.HasExited) throw new InvalidOperationException($"etcd exited with code {_process.ExitCode}");
            try
            {
                var body = await Health.GetStringAsync($"http://127.0.0.1:{ClientPort}/health");
                if (body.Contains("\"true\"", StringComparison.Ordinal)) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(50);
        }
        throw new TimeoutException("etcd not healthy in time");
    }

    /// <summary>SIGSTOP: the process keeps its sockets open but answers nothing, like a hung or partitioned member.</summary>
    public Task FreezeAsync() => SignalAsync("-STOP");

    /// <summary>SIGCONT after <see cref="FreezeAsync"/>.</summary>
    public Task ThawAsync() => SignalAsync("-CONT");

    private async Task SignalAsync(string signal)
    {
        var pid = _process?.Id ?? throw new InvalidOperationException("etcd is not running");
        var r = await ProcessRunner.RunAsync("kill", [signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)], timeout: TimeSpan.FromSeconds(10));
        if (r.ExitCode != 0) throw new InvalidOperationException($"kill {signal} {pid}: {r}");
    }

    /// <summary>SIGKILL, like a crash; the data dir stays.</summary>
    public void Kill()
    {
        if (_process is null) return;
        try
        {
            // SIGKILL also ends a frozen (SIGSTOPped) process.
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
        _process = null;
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        try { Directory.Delete(DataDir, recursive: true); } catch (IOException) { }
        return ValueTask.CompletedTask;
    }
}
