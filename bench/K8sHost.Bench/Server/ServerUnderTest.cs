using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace K8sHost.Bench.Server;

/// <summary>
/// The real server as a user runs it: `dotnet K8sHost.Server.dll --data-dir D --secure-port P --bind-address 127.0.0.1`
/// (plus --storage for etcd), in its own process so its RSS and CPU can be read from /proc. Nothing else is changed from
/// scripts/run.sh's defaults: no logging overrides (appsettings.json next to the dll applies), the dll's own GC settings,
/// and only the environment the user passed with --server-env.
/// </summary>
public sealed class ServerUnderTest : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private ServerUnderTest(Process process, string dataDir, int port, TimeSpan startToReady)
    {
        _process = process;
        DataDir = dataDir;
        Port = port;
        StartToReady = startToReady;
    }

    public string DataDir { get; }
    public int Port { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;
    public TimeSpan StartToReady { get; }
    public Uri BaseAddress => new($"https://127.0.0.1:{Port}");
    public string Token => File.ReadAllText(Path.Combine(DataDir, "admin.token")).Trim();
    public string LogTail { get { lock (_log) return _log.Length > 2000 ? _log.ToString(_log.Length - 2000, 2000) : _log.ToString(); } }

    public X509Certificate2 LoadCa() => X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(DataDir, "pki", "ca.crt")));

    /// <summary>Finds K8sHost.Server.dll: the explicit path, else the copy next to the bench, else the repo's Release build.</summary>
    public static string LocateDll(string? explicitPath)
    {
        if (!string.IsNullOrEmpty(explicitPath)) return Path.GetFullPath(explicitPath);
        var local = Path.Combine(AppContext.BaseDirectory, "K8sHost.Server.dll");
        if (File.Exists(local) && File.Exists(Path.Combine(AppContext.BaseDirectory, "K8sHost.Server.runtimeconfig.json"))) return local;
        throw new FileNotFoundException("K8sHost.Server.dll not found next to the bench; pass --server-dll");
    }

    /// <summary>Starts the server on a fresh data dir and measures process start → first /readyz 200.</summary>
    public static async Task<ServerUnderTest> StartAsync(string serverDll, string? storageUrl, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var dataDir = Directory.CreateTempSubdirectory("k8shost-bench-server-").FullName;
        var port = FreePort.Next();
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { serverDll, "--data-dir", dataDir, "--secure-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind-address", "127.0.0.1" })
            psi.ArgumentList.Add(a);
        if (storageUrl is not null)
        {
            psi.ArgumentList.Add("--storage");
            psi.ArgumentList.Add(storageUrl);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) psi.Environment[name] = value;

        using var probe = new HttpClient(new SocketsHttpHandler
        {
            // The CA does not exist until the server creates it; readiness only needs an answer.
            SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        })
        { Timeout = TimeSpan.FromSeconds(2) };

        var started = Stopwatch.StartNew();
        var process = Process.Start(psi)!;
        var log = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        while (started.Elapsed < timeout)
        {
            if (process.HasExited)
            {
                lock (log) throw new InvalidOperationException($"server exited with {process.ExitCode}: {log}");
            }
            try
            {
                using var r = await probe.GetAsync($"https://127.0.0.1:{port}/readyz");
                if (r.IsSuccessStatusCode)
                {
                    var elapsed = started.Elapsed;
                    var server = new ServerUnderTest(process, dataDir, port, elapsed);
                    process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (server._log) server._log.AppendLine(e.Data); };
                    process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (server._log) server._log.AppendLine(e.Data); };
                    return server;
                }
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(10);
        }
        process.Kill(entireProcessTree: true);
        throw new TimeoutException($"server not ready within {timeout.TotalSeconds:0} s");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await term.WaitForExitAsync();
            try
            {
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (TimeoutException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        _process.Dispose();
        try { Directory.Delete(DataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
