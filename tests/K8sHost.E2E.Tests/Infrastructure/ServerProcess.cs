using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace K8sHost.E2E.Tests.Infrastructure;

/// <summary>
/// The real server as a user runs it: `dotnet K8sHost.Server.dll` on a free loopback port with a temp --data-dir,
/// HTTPS with its generated CA, and the admin kubeconfig it writes. Restartable on the same data dir and port.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private Process? _process;
    private readonly StringBuilder _log = new();
    private readonly string[] _extraArgs;

    public ServerProcess(string? dataDir = null, params string[] extraArgs)
    {
        DataDir = dataDir ?? Directory.CreateTempSubdirectory("k8shost-e2e-").FullName;
        Port = FreePort.Next();
        _extraArgs = extraArgs;
    }

    public string DataDir { get; }
    public int Port { get; }
    /// <summary>Extra environment for the server process (e.g. Server__… settings).</summary>
    public Dictionary<string, string> Environment { get; } = new();
    public string BaseUrl => $"https://127.0.0.1:{Port}";
    public string KubeconfigPath => Path.Combine(DataDir, "kubeconfig");
    public string AdminToken => File.ReadAllText(Path.Combine(DataDir, "admin.token")).Trim();
    public string Log { get { lock (_log) return _log.ToString(); } }
    public int? Pid => _process is { HasExited: false } p ? p.Id : null;

    /// <summary>Starts the server and waits until /readyz answers ok; returns the time that took.</summary>
    public async Task<TimeSpan> StartAsync(TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { RepoPaths.ServerDll, "--data-dir", DataDir, "--secure-port", Port.ToString(), "--bind-address", "127.0.0.1" })
            psi.ArgumentList.Add(a);
        foreach (var a in _extraArgs) psi.ArgumentList.Add(a);
        // No logging overrides: the tests run what a user runs (appsettings.json's quiet defaults).
        foreach (var (name, value) in Environment) psi.Environment[name] = value;
        var sw = Stopwatch.StartNew();
        _process = Process.Start(psi)!;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        using var probe = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true })
        { Timeout = TimeSpan.FromSeconds(2) };
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"server exited with {_process.ExitCode}:\n{Log}");
            try
            {
                var r = await probe.GetAsync($"{BaseUrl}/readyz");
                if (r.IsSuccessStatusCode && File.Exists(KubeconfigPath)) return sw.Elapsed;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(50);
        }
        throw new TimeoutException($"server not ready in time:\n{Log}");
    }

    /// <summary>kill -9: no shutdown hooks run.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit(10_000);
        }
    }

    /// <summary>SIGTERM, then wait for a clean exit.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        if (_process is not { HasExited: false } p) return _process?.ExitCode ?? 0;
        using (var kill = Process.Start("kill", ["-TERM", p.Id.ToString()])) await kill.WaitForExitAsync();
        using var cts = new CancellationTokenSource(timeout);
        await p.WaitForExitAsync(cts.Token);
        return p.ExitCode;
    }

    /// <summary>An HttpClient that verifies TLS against the generated CA and sends the admin token.</summary>
    public HttpClient CreateClient(bool authenticated = true)
    {
        var ca = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(DataDir, "pki", "ca.crt")));
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, _, _) =>
            {
                if (cert is null) return false;
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(cert);
            },
        };
        var client = new HttpClient(handler) { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        if (authenticated) client.DefaultRequestHeaders.Authorization = new("Bearer", AdminToken);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_process is { HasExited: false }) await TerminateAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
        _process?.Dispose();
        try { Directory.Delete(DataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
