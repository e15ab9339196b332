namespace K8sHost.E2E.Tests.Infrastructure;

/// <summary>The real kubectl against a server, with the kubeconfig the server wrote and a fresh discovery cache per call.</summary>
public sealed class Kubectl(ServerProcess server)
{
    public async Task<ProcessResult> RunAsync(string args, string? stdin = null, TimeSpan? timeout = null, IDictionary<string, string>? env = null)
        => await RunAsync(SplitArgs(args), stdin, timeout, env);

    public async Task<ProcessResult> RunAsync(IEnumerable<string> args, string? stdin = null, TimeSpan? timeout = null, IDictionary<string, string>? env = null)
    {
        var cache = Directory.CreateTempSubdirectory("kubectl-cache-").FullName;
        try
        {
            var all = new List<string> { "--kubeconfig", server.KubeconfigPath, "--cache-dir", cache };
            all.AddRange(args);
            return await ProcessRunner.RunAsync(RepoPaths.Kubectl, all, stdin, timeout ?? TimeSpan.FromSeconds(60), env);
        }
        finally
        {
            try { Directory.Delete(cache, true); } catch (IOException) { }
        }
    }

    /// <summary>Runs and asserts exit 0, returning stdout.</summary>
    public async Task<string> OkAsync(string args, string? stdin = null, TimeSpan? timeout = null)
    {
        var r = await RunAsync(args, stdin, timeout);
        if (r.ExitCode != 0) throw new Xunit.Sdk.XunitException($"kubectl {args} failed:\n{r}\nserver log:\n{Tail(server.Log)}");
        return r.StdOut;
    }

    private static string Tail(string s) => s.Length > 4000 ? s[^4000..] : s;

    /// <summary>Splits on spaces, keeping single-quoted parts together (for -p '{...}' arguments).</summary>
    public static List<string> SplitArgs(string args)
    {
        var result = new List<string>();
        var cur = new System.Text.StringBuilder();
        var quoted = false;
        foreach (var ch in args)
        {
            if (ch == '\'') { quoted = !quoted; continue; }
            if (ch == ' ' && !quoted)
            {
                if (cur.Length > 0) { result.Add(cur.ToString()); cur.Clear(); }
                continue;
            }
            cur.Append(ch);
        }
        if (cur.Length > 0) result.Add(cur.ToString());
        return result;
    }
}
