using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using K8sHost.E2E.Tests.Infrastructure;
using K8sHost.Server.Options;
using Xunit;
using Xunit.Abstractions;

namespace K8sHost.E2E.Tests.Lifecycle;

/// <summary>
/// The server's command line as kube-apiserver's: a typo is refused at once with one line and exit code 1 (never a
/// silent start on the embedded store), --help lists every flag, settings also come from the environment.
/// </summary>
[Collection("kubectl")]
public sealed class CommandLineTests(ITestOutputHelper output)
{
    // dotnet start-up on a busy 2-core machine; refusing a flag opens nothing, so this is all start-up.
    private static readonly TimeSpan ExitWithin = TimeSpan.FromSeconds(15);

    [Theory]
    [InlineData("unknown flag: --bogus-flag", "--bogus-flag", "1")]
    [InlineData("unknown flag: --etcd-server", "--etcd-server=http://127.0.0.1:2379")]
    [InlineData("does not take any arguments, got [\"snapshot\"]", "snapshot")]
    [InlineData("invalid argument \"abc\" for \"--secure-port\" flag", "--secure-port", "abc")]
    [InlineData("invalid --secure-port", "--secure-port=70000")]
    [InlineData("invalid --logging-format", "--logging-format=xml")]
    [InlineData("invalid --service-cluster-ip-range", "--service-cluster-ip-range", "10.96.0.0")]
    [InlineData("flag needs an argument: --storage", "--storage")]
    public async Task RefusedCommandLine_ExitsOneWithOneLineError_AndCreatesNoDataDir(string expected, params string[] args) =>
        await AssertRefusedAsync(args, expected);

    /// <summary>Every option set (server, store, API, watch cache) is bound from configuration and validated at start.</summary>
    [Theory]
    [InlineData("Server__SecurPort", "7443", "unknown setting Server:SecurPort")]
    [InlineData("Server__SecurePort", "65536", "invalid --secure-port")]
    [InlineData("Server__ScanBatchSize", "0", "invalid setting Server:ScanBatchSize")]
    [InlineData("Api__MaxRequestBodyBytes", "-1", "invalid setting Api:MaxRequestBodyBytes")]
    [InlineData("WatchCache__MaxEvents", "many", "WatchCache:MaxEvents")]
    [InlineData("WatchCache__MaxEventz", "5", "unknown setting WatchCache:MaxEventz")]
    public async Task BadEnvironmentSetting_ExitsOneWithOneLineError_AndCreatesNoDataDir(string name, string value, string expected) =>
        await AssertRefusedAsync([], expected, new Dictionary<string, string> { [name] = value });

    [Fact]
    public async Task Help_ListsEveryFlagWithItsDefaultAndEnvironmentVariable_UnderKubeApiserversGroups()
    {
        var r = await ProcessRunner.RunAsync("dotnet", [RepoPaths.ServerDll, "--help"], timeout: TimeSpan.FromSeconds(30));
        Assert.Equal(0, r.ExitCode);
        foreach (var group in new[] { "Generic flags:", "Etcd flags:", "Secure serving flags:", "Authentication flags:", "Misc flags:", "Logs flags:", "Global flags:" })
            Assert.Contains(group, r.StdOut);
        foreach (var flag in ServerFlags.All)
        {
            var row = new System.Text.RegularExpressions.Regex($@"^\s+(-\w, )?{flag.Name}( |$)");
            var line = r.StdOut.Split('\n').SingleOrDefault(l => row.IsMatch(l));
            Assert.True(line is not null, $"{flag.Name} missing from --help:\n{r.StdOut}");
            Assert.Contains(flag.Usage, line);
            if (flag.EnvironmentVariable is not null) Assert.Contains("env " + flag.EnvironmentVariable, line);
        }
        Assert.Contains("--secure-port int", r.StdOut);
        Assert.Contains("(default 6443; env Server__SecurePort)", r.StdOut);
        Assert.Contains("-v, --v int", r.StdOut);
    }

    [Fact]
    public async Task Version_PrintsTheServedVersion_AndExitsZero()
    {
        var r = await ProcessRunner.RunAsync("dotnet", [RepoPaths.ServerDll, "--version"], timeout: TimeSpan.FromSeconds(30));
        Assert.Equal(0, r.ExitCode);
        Assert.Equal($"K8sHost.Rest {K8sHost.Api.Discovery.VersionEndpoint.GitVersion}", r.StdOut.Trim());
    }

    [Fact]
    public async Task EnvironmentVariable_SetsTheSettingOfItsFlag()
    {
        // Server__ServiceClusterIpRange is --service-cluster-ip-range: the kubernetes service takes the range's first address.
        await using var server = new ServerProcess();
        server.Environment["Server__ServiceClusterIpRange"] = "10.123.0.0/16";
        await server.StartAsync();
        using var http = server.CreateClient();
        var svc = await http.GetFromJsonAsync<JsonObject>("/api/v1/namespaces/default/services/kubernetes");
        Assert.Equal("10.123.0.1", svc!["spec"]!["clusterIP"]!.GetValue<string>());
    }

    [Fact]
    public async Task FlagWithEqualsSign_AndFlagWithSeparateValue_BothWork()
    {
        await using var server = new ServerProcess(null, "--service-node-port-range=31000-31010", "--shutdown-delay-seconds", "0");
        await server.StartAsync();
        using var http = server.CreateClient();
        var created = await http.PostAsync("/api/v1/namespaces/default/services", JsonContent.Create(JsonNode.Parse(
            """{"apiVersion":"v1","kind":"Service","metadata":{"name":"np"},"spec":{"type":"NodePort","ports":[{"port":80}]}}""")));
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var nodePort = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["spec"]!["ports"]![0]!["nodePort"]!.GetValue<int>();
        Assert.InRange(nodePort, 31000, 31010);
    }

    private async Task AssertRefusedAsync(string[] args, string expected, Dictionary<string, string>? env = null)
    {
        var parent = Directory.CreateTempSubdirectory("k8shost-refused-").FullName;
        var dataDir = Path.Combine(parent, "data");
        try
        {
            var sw = Stopwatch.StartNew();
            var r = await ProcessRunner.RunAsync("dotnet", [RepoPaths.ServerDll, "--data-dir", dataDir, .. args],
                timeout: ExitWithin + TimeSpan.FromSeconds(15), env: env);
            output.WriteLine($"{string.Join(' ', args)} → exit {r.ExitCode} after {sw.ElapsedMilliseconds} ms: {r.StdErr.Trim()}");
            Assert.Equal(1, r.ExitCode);
            Assert.True(sw.Elapsed < ExitWithin, $"took {sw.Elapsed} to refuse");
            var lines = r.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.True(lines.Length == 1, $"expected one stderr line:\n{r}");
            Assert.StartsWith("k8shost:", lines[0]);
            Assert.Contains(expected, lines[0]);
            Assert.Equal("", r.StdOut.Trim());
            Assert.False(Directory.Exists(dataDir), "the data dir was created before the command line was checked");
        }
        finally
        {
            try { Directory.Delete(parent, recursive: true); } catch (IOException) { }
        }
    }
}
