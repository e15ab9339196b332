using K8sHost.E2E.Tests.Infrastructure;

namespace K8sHost.E2E.Tests.Operations;

/// <summary>Runs a subcommand of the real server executable (`dotnet K8sHost.Server.dll snapshot …`).</summary>
public static class ServerCommand
{
    public static Task<ProcessResult> RunAsync(params string[] args) =>
        ProcessRunner.RunAsync("dotnet", [RepoPaths.ServerDll, .. args], timeout: TimeSpan.FromMinutes(3));

    public static async Task<ProcessResult> OkAsync(params string[] args)
    {
        var r = await RunAsync(args);
        if (r.ExitCode != 0) throw new Xunit.Sdk.XunitException($"K8sHost.Server {string.Join(' ', args)} failed:\n{r}");
        return r;
    }
}
