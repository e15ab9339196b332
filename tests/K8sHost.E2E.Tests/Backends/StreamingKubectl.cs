using System.Diagnostics;
using System.Text.RegularExpressions;
using K8sHost.E2E.Tests.Infrastructure;

namespace K8sHost.E2E.Tests.Backends;

/// <summary>
/// A long-running kubectl (get -w) whose output is read as it comes, so a test can wait for "the watch is
/// established" (its first line) instead of sleeping, and stop it once it saw what it needed. Killed on dispose.
/// </summary>
public sealed class StreamingKubectl : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly SemaphoreSlim _changed = new(0);
    private readonly string _cacheDir = Directory.CreateTempSubdirectory("kubectl-cache-").FullName;

    public StreamingKubectl(ServerProcess server, string args)
    {
        var psi = new ProcessStartInfo(RepoPaths.Kubectl)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "--kubeconfig", server.KubeconfigPath, "--cache-dir", _cacheDir }.Concat(Infrastructure.Kubectl.SplitArgs(args)))
            psi.ArgumentList.Add(a);
        _process = Process.Start(psi)!;
        _process.OutputDataReceived += (_, e) => Add(e.Data);
        _process.ErrorDataReceived += (_, e) => Add(e.Data is null ? null : "stderr: " + e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output
    {
        get { lock (_lines) return string.Join('\n', _lines); }
    }

    /// <summary>Waits until some output line matches <paramref name="pattern"/>; throws with the output so far if none does in time.</summary>
    public async Task WaitForLineAsync(string pattern, TimeSpan timeout)
    {
        var regex = new Regex(pattern);
        var sw = Stopwatch.StartNew();
        while (true)
        {
            lock (_lines)
                if (_lines.Any(regex.IsMatch)) return;
            var left = timeout - sw.Elapsed;
            if (left <= TimeSpan.Zero || (_process.HasExited && !await _changed.WaitAsync(200)))
                throw new TimeoutException($"kubectl printed no line matching /{pattern}/ (exited: {_process.HasExited}); output:\n{Output}");
            await _changed.WaitAsync(left);
        }
    }

    private void Add(string? line)
    {
        if (line is null) return;
        lock (_lines) _lines.Add(line);
        _changed.Release();
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
        try { Directory.Delete(_cacheDir, true); } catch (IOException) { }
    }
}
