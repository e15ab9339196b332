using K8sHost.E2E.Tests.Infrastructure;

namespace K8sHost.E2E.Tests.Helm;

/// <summary>
/// The real helm v4 against a server: its own cache/config/data homes (temp dirs, so nothing from the user's
/// machine leaks in) and the server's kubeconfig.
/// </summary>
public sealed class HelmCli : IDisposable
{
    private readonly ServerProcess _server;
    private readonly string _home;

    public HelmCli(ServerProcess server)
    {
        _server = server;
        _home = Directory.CreateTempSubdirectory("helm-home-").FullName;
    }

    /// <summary>The chart in the repository (a ConfigMap, a Secret, a Service and a Pod).</summary>
    public static string ChartPath => Path.Combine(RepoPaths.Root, "tests", "K8sHost.E2E.Tests", "Helm", "chart");

    public async Task<ProcessResult> RunAsync(string args, TimeSpan? timeout = null)
    {
        var all = new List<string> { "--kubeconfig", _server.KubeconfigPath };
        all.AddRange(Infrastructure.Kubectl.SplitArgs(args));
        var env = new Dictionary<string, string>
        {
            ["HELM_CACHE_HOME"] = Path.Combine(_home, "cache"),
            ["HELM_CONFIG_HOME"] = Path.Combine(_home, "config"),
            ["HELM_DATA_HOME"] = Path.Combine(_home, "data"),
            ["KUBECONFIG"] = _server.KubeconfigPath,
        };
        return await ProcessRunner.RunAsync(RepoPaths.Helm, all, null, timeout ?? TimeSpan.FromSeconds(90), env);
    }

    /// <summary>Runs and asserts exit 0, returning stdout.</summary>
    public async Task<string> OkAsync(string args, TimeSpan? timeout = null)
    {
        var r = await RunAsync(args, timeout);
        if (r.ExitCode != 0)
        {
            var log = _server.Log;
            throw new Xunit.Sdk.XunitException($"helm {args} failed:\n{r}\nserver log:\n{(log.Length > 4000 ? log[^4000..] : log)}");
        }
        return r.StdOut;
    }

    public void Dispose()
    {
        try { Directory.Delete(_home, recursive: true); } catch (IOException) { }
    }
}
