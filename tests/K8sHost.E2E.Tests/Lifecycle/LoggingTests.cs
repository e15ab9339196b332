using System.Text.Json;
using System.Text.Json.Nodes;
using K8sHost.E2E.Tests.Infrastructure;
using Xunit;

namespace K8sHost.E2E.Tests.Lifecycle;

/// <summary>
/// What the server logs as a user runs it: one start line by default and nothing per request; kube-apiserver's -v 2
/// adds one line per request; --logging-format=json makes every line a JSON object.
/// </summary>
[Collection("kubectl")]
public sealed class LoggingTests
{
    [Fact]
    public async Task DefaultRun_LogsOneStartLineWithTheKubectlCommand_AndNothingPerRequest()
    {
        await using var server = new ServerProcess();
        await server.StartAsync();
        using var http = server.CreateClient();
        for (var i = 0; i < 20; i++) (await http.GetAsync($"/api/v1/namespaces/default/configmaps?marker=req{i}")).EnsureSuccessStatusCode();
        await WaitForLogAsync(server, log => log.Contains("kubectl --kubeconfig", StringComparison.Ordinal));
        await Task.Delay(500); // a per-request line would have been written by now

        var start = Assert.Single(Lines(server.Log), l => l.Contains("kubectl --kubeconfig", StringComparison.Ordinal));
        Assert.Contains(server.BaseUrl, start);
        Assert.Contains($"kubectl --kubeconfig {server.KubeconfigPath}", start);
        // Neither our request line nor ASP.NET Core's four Information lines per request ("Request starting", "Executing endpoint", …).
        Assert.DoesNotContain("marker=req", server.Log);
        Assert.DoesNotContain("Request starting", server.Log);
        Assert.DoesNotContain("Now listening on", server.Log);
    }

    [Fact]
    public async Task VerbosityTwo_LogsOneLinePerRequest_WithVerbUriStatusLatencyAndUser()
    {
        await using var server = new ServerProcess(null, "-v=2");
        await server.StartAsync();
        using var http = server.CreateClient();
        (await http.GetAsync("/api/v1/namespaces/default/configmaps?marker=ok")).EnsureSuccessStatusCode();
        using var anon = server.CreateClient(authenticated: false);
        await anon.GetAsync("/api/v1/namespaces?marker=denied");

        await WaitForLogAsync(server, log => log.Contains("marker=denied", StringComparison.Ordinal));
        var ok = Assert.Single(Lines(server.Log), l => l.Contains("marker=ok", StringComparison.Ordinal));
        Assert.Contains("verb=GET", ok);
        Assert.Contains("URI=/api/v1/namespaces/default/configmaps?marker=ok", ok);
        Assert.Contains("resp=200", ok);
        Assert.Matches(@"latency=\d+(\.\d+)?ms", ok);
        Assert.Contains("user=admin", ok);
        var denied = Assert.Single(Lines(server.Log), l => l.Contains("marker=denied", StringComparison.Ordinal));
        Assert.Contains("resp=401", denied);
    }

    [Fact]
    public async Task JsonLoggingFormat_WritesOneJsonObjectPerLine_WithTheRequestFields()
    {
        await using var server = new ServerProcess(null, "--logging-format=json", "--v", "2");
        await server.StartAsync();
        using var http = server.CreateClient();
        (await http.GetAsync("/api/v1/namespaces/default/configmaps?marker=json")).EnsureSuccessStatusCode();
        await WaitForLogAsync(server, log => log.Contains("marker=json", StringComparison.Ordinal));

        var entries = Lines(server.Log).Select(l =>
        {
            try { return JsonNode.Parse(l)!.AsObject(); }
            catch (JsonException e) { throw new Xunit.Sdk.XunitException($"not JSON: {l} ({e.Message})"); }
        }).ToList();
        Assert.Contains(entries, e => e["Message"]!.GetValue<string>().Contains("kubectl --kubeconfig", StringComparison.Ordinal));
        var request = Assert.Single(entries, e => e["State"]?["URI"]?.GetValue<string>() == "/api/v1/namespaces/default/configmaps?marker=json");
        Assert.Equal("GET", request["State"]!["Verb"]!.GetValue<string>());
        Assert.Equal(200, request["State"]!["Status"]!.GetValue<int>());
        Assert.Equal("admin", request["State"]!["User"]!.GetValue<string>());
        Assert.NotNull(request["State"]!["Latency"]);
    }

    private static List<string> Lines(string log) =>
        log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static async Task WaitForLogAsync(ServerProcess server, Func<string, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!condition(server.Log) && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.True(condition(server.Log), $"expected log line not written:\n{server.Log}");
    }
}
