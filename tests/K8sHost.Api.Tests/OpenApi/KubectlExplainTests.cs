using System.Diagnostics;
using Xunit;

namespace K8sHost.Api.Tests.OpenApi;

/// <summary>The real kubectl v1.35 reads the served documents: `kubectl explain` must find and describe the fields.</summary>
[Collection(OpenApiServerCollection.Name)]
public sealed class KubectlExplainTests(OpenApiServerFixture fixture) : IDisposable
{
    private readonly OpenApiTestHost _host = fixture.Host;
    private readonly string _cacheDir = Directory.CreateTempSubdirectory("kubectl-cache-").FullName;

    public void Dispose() => Directory.Delete(_cacheDir, recursive: true);

    [Fact]
    public async Task ExplainPodSpec_PrintsTheKindFieldAndNestedFieldDescriptions()
    {
        var (code, stdout, stderr) = await KubectlAsync("explain", "pod.spec");

        Assert.True(code == 0, $"kubectl failed ({code}): {stderr}");
        Assert.Contains("KIND:       Pod", stdout);
        Assert.Contains("FIELD: spec <PodSpec>", stdout);
        Assert.Contains("Specification of the desired behavior of the pod.", stdout);
        Assert.Contains("containers\t<[]Container>", stdout);
        Assert.Contains("List of containers belonging to the pod.", stdout);
    }

    [Fact]
    public async Task ExplainLeaseInNamedGroup_PrintsTheKindDescription()
    {
        var (code, stdout, stderr) = await KubectlAsync("explain", "leases.spec.holderIdentity");

        Assert.True(code == 0, $"kubectl failed ({code}): {stderr}");
        Assert.Contains("GROUP:      coordination.k8s.io", stdout);
        Assert.Contains("holderIdentity contains the identity of the holder of a current lease.", stdout);
    }

    [Fact]
    public async Task ExplainRecursive_WalksNestedReferences()
    {
        var (code, stdout, stderr) = await KubectlAsync("explain", "pod.spec.containers", "--recursive");

        Assert.True(code == 0, $"kubectl failed ({code}): {stderr}");
        Assert.Contains("livenessProbe\t<Probe>", stdout);
        Assert.Contains("httpGet\t<HTTPGetAction>", stdout);
    }

    private async Task<(int Code, string Stdout, string Stderr)> KubectlAsync(params string[] args)
    {
        var psi = new ProcessStartInfo(KubectlPath())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "--server", _host.Address.ToString().TrimEnd('/'), "--cache-dir", _cacheDir, "--kubeconfig", "/dev/null" })
            psi.ArgumentList.Add(a);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    private static string KubectlPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, ".tools", "bin", "kubectl");
            if (File.Exists(Path.Combine(dir.FullName, "K8sHost.Rest.sln")))
                return File.Exists(candidate) ? candidate : throw new InvalidOperationException($"{candidate} is missing: run scripts/install-tools.sh");
        }
        throw new InvalidOperationException("K8sHost.Rest.sln not found above " + AppContext.BaseDirectory);
    }
}
