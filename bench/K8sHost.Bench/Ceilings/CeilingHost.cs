using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;

namespace K8sHost.Bench.Ceilings;

/// <summary>
/// The bare Kestrel endpoint in its own process (`K8sHost.Bench.dll --ceiling-host DIR`), for the watch fan-out
/// ceiling: in the bench process, 1,000 server-side and 1,000 client-side TLS connections would share one runtime and
/// the "ceiling" would come out below the real server (first full run: 48.8k vs 70.2k events/s). In its own process
/// with Server GC it is measured the way the server is.
/// </summary>
public sealed class CeilingHost : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dir;

    private CeilingHost(Process process, string dir, Uri address, X509Certificate2 ca)
    {
        _process = process;
        _dir = dir;
        Address = address;
        Ca = ca;
    }

    public Uri Address { get; }
    public X509Certificate2 Ca { get; }
    public int Pid => _process.Id;

    /// <summary>Child side: serve until the parent closes our stdin.</summary>
    public static async Task<int> ServeAsync(string dir)
    {
        using var certs = TestCertificates.Create();
        await using var kestrel = await BareKestrel.StartAsync(certs, PodJson.ServedBytes("bench-get", "p0"));
        await File.WriteAllTextAsync(Path.Combine(dir, "ca.crt"), certs.Ca.ExportCertificatePem());
        await File.WriteAllTextAsync(Path.Combine(dir, "address.tmp"), kestrel.Address.ToString());
        File.Move(Path.Combine(dir, "address.tmp"), Path.Combine(dir, "address"));
        while (await Console.In.ReadLineAsync() is not null) { }
        return 0;
    }

    /// <summary>Parent side: launches this assembly in ceiling-host mode with Server GC (as the server runs).</summary>
    public static async Task<CeilingHost> StartAsync(TimeSpan timeout)
    {
        var dir = Directory.CreateTempSubdirectory("k8shost-bench-ceiling-").FullName;
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(typeof(CeilingHost).Assembly.Location);
        psi.ArgumentList.Add("--ceiling-host");
        psi.ArgumentList.Add(dir);
        psi.Environment["DOTNET_gcServer"] = "1";
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var file = Path.Combine(dir, "address");
        var deadline = DateTime.UtcNow + timeout;
        while (!File.Exists(file))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
                throw new InvalidOperationException("bare Kestrel ceiling process did not start");
            }
            await Task.Delay(20);
        }
        var ca = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(Path.Combine(dir, "ca.crt")));
        return new CeilingHost(process, dir, new Uri(await File.ReadAllTextAsync(file)), ca);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
        Ca.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
