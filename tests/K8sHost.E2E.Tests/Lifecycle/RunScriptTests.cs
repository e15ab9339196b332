using System.Diagnostics;
using K8sHost.E2E.Tests.Infrastructure;
using Xunit;

namespace K8sHost.E2E.Tests.Lifecycle;

/// <summary>The README's first command: scripts/run.sh serves with ./data under the caller's working directory.</summary>
[Collection("kubectl")]
public sealed class RunScriptTests
{
    [Fact]
    public async Task RunScript_WritesDataAndKubeconfigUnderTheCurrentDirectory_AndKubectlWorks()
    {
        var cwd = Directory.CreateTempSubdirectory("runscript-").FullName;
        var port = FreePort.Next();
        var psi = new ProcessStartInfo("bash", [Path.Combine(RepoPaths.Root, "scripts", "run.sh"), "--secure-port", port.ToString()])
        {
            WorkingDirectory = cwd,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var p = Process.Start(psi)!;
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        try
        {
            var kubeconfig = Path.Combine(cwd, "data", "kubeconfig");
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
            ProcessResult? last = null;
            while (DateTime.UtcNow < deadline && !p.HasExited)
            {
                if (File.Exists(kubeconfig))
                {
                    last = await ProcessRunner.RunAsync(RepoPaths.Kubectl, ["--kubeconfig", kubeconfig, "get", "ns", "default", "-o", "name"],
                        timeout: TimeSpan.FromSeconds(30));
                    if (last.ExitCode == 0) break;
                }
                await Task.Delay(250);
            }
            Assert.True(last is { ExitCode: 0 }, $"kubectl never succeeded: {last}");
            Assert.Equal("namespace/default", last!.StdOut.Trim());
            Assert.True(File.Exists(Path.Combine(cwd, "data", "state.db")));
        }
        finally
        {
            if (!p.HasExited) { p.Kill(entireProcessTree: true); p.WaitForExit(10_000); }
            try { Directory.Delete(cwd, true); } catch (IOException) { }
        }
    }
}
