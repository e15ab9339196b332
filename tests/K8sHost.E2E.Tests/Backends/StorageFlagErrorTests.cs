using System.Diagnostics;
using K8sHost.E2E.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace K8sHost.E2E.Tests.Backends;

/// <summary>A --storage the server cannot use stops it at once with one clear line on stderr, never a stack trace.</summary>
public sealed class StorageFlagErrorTests(ITestOutputHelper output)
{
    // dotnet start-up plus, for an unreachable store, the store's 5 s call timeout.
    private static readonly TimeSpan ExitWithin = TimeSpan.FromSeconds(15);

    [Theory]
    [InlineData("nosuch://127.0.0.1:2379", "unknown scheme 'nosuch'")]
    [InlineData("etcd:127.0.0.1:2379", "invalid --storage")]
    [InlineData("etcd://", "names no endpoint")]
    [InlineData("etcd://127.0.0.1:notaport", "bad endpoint")]
    [InlineData("flaredb://127.0.0.1:notaport", "invalid --storage 'flaredb://127.0.0.1:notaport'")]
    public async Task BadStorageUrl_ExitsNonZeroWithOneLineError(string url, string expected) =>
        await AssertOneLineFailureAsync(["--storage", url], expected);

    [Fact]
    public async Task UnreachableEtcd_ExitsNonZeroWithOneLineError()
    {
        var port = FreePort.Next(); // nothing listens there
        await AssertOneLineFailureAsync(["--storage", $"etcd://127.0.0.1:{port}"], "etcd unavailable");
    }

    [Fact]
    public async Task SilentEtcdEndpoint_ExitsNonZeroWithOneLineErrorAfterTheCallTimeout()
    {
        // Accepts TCP connections and never answers: a hung member or a black-holed address, where only timeouts help.
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start(backlog: 64);
        var port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
        await AssertOneLineFailureAsync(["--storage", $"etcd://127.0.0.1:{port}"], "etcd unavailable");
    }

    [Fact]
    public async Task UnreachableEtcdServersFlag_ExitsNonZeroWithOneLineError()
    {
        var port = FreePort.Next();
        await AssertOneLineFailureAsync(["--etcd-servers", $"http://127.0.0.1:{port}"], "etcd unavailable");
    }

    [Fact]
    public async Task UnreachableFlareDbPd_ExitsNonZeroWithOneLineError()
    {
        var port = FreePort.Next();
        await AssertOneLineFailureAsync(["--storage", $"flaredb://127.0.0.1:{port}"], "flaredb");
    }

    [Fact]
    public async Task UnreachableFlareDbFromEnvironment_ExitsNonZeroWithOneLineError()
    {
        var port = FreePort.Next();
        await AssertOneLineFailureAsync([], "flaredb", new Dictionary<string, string> { ["FLAREDB_PD_ADDR"] = $"127.0.0.1:{port}" });
    }

    private async Task AssertOneLineFailureAsync(string[] storageArgs, string expected, Dictionary<string, string>? env = null)
    {
        var dir = Directory.CreateTempSubdirectory("k8shost-badstore-").FullName;
        try
        {
            var sw = Stopwatch.StartNew();
            var r = await ProcessRunner.RunAsync("dotnet",
                [RepoPaths.ServerDll, "--data-dir", dir, "--secure-port", FreePort.Next().ToString(), "--bind-address", "127.0.0.1", .. storageArgs],
                timeout: ExitWithin + TimeSpan.FromSeconds(15), env: env);
            output.WriteLine($"{string.Join(' ', storageArgs)} → exit {r.ExitCode} after {sw.ElapsedMilliseconds} ms: {r.StdErr.Trim()}");
            Assert.NotEqual(0, r.ExitCode);
            Assert.True(sw.Elapsed < ExitWithin, $"took {sw.Elapsed} to give up");
            var lines = r.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.True(lines.Length == 1, $"expected one stderr line:\n{r}");
            Assert.StartsWith("k8shost:", lines[0]);
            Assert.Contains(expected, lines[0], StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("   at ", r.StdOut + r.StdErr);
            Assert.DoesNotContain("Exception", r.StdOut + r.StdErr);
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }
}
