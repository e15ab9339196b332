using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using K8sHost.E2E.Tests.Infrastructure;
using Xunit;

namespace K8sHost.E2E.Tests.Lifecycle;

[Collection("kubectl")]
public sealed class DurabilityTests
{
    private static StringContent ConfigMap(string name) =>
        new($"{{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{{\"name\":\"{name}\"}},\"data\":{{\"k\":\"{name}\"}}}}",
            Encoding.UTF8, "application/json");

    [Fact]
    public async Task KillDashNineDuringWrites_EveryAcknowledgedWriteSurvivesRestart()
    {
        var server = new ServerProcess();
        await server.StartAsync();
        var acknowledged = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            using var http = server.CreateClient();
            for (var i = 0; !stop.IsCancellationRequested && i < 2000; i++)
            {
                var name = $"cm-{w}-{i}";
                try
                {
                    var r = await http.PostAsync("/api/v1/namespaces/default/configmaps", ConfigMap(name));
                    if (r.StatusCode == HttpStatusCode.Created) acknowledged.Add(name);
                }
                catch (HttpRequestException) { return; }
                catch (TaskCanceledException) { return; }
            }
        })).ToList();
        await Task.Delay(1500);
        server.Kill(); // SIGKILL while writes are in flight
        stop.Cancel();
        await Task.WhenAll(writers);
        Assert.True(acknowledged.Count > 20, $"only {acknowledged.Count} writes before the kill");

        var restarted = new ServerProcess(server.DataDir);
        // Same data dir: a new port is fine, the kubeconfig is rewritten.
        await restarted.StartAsync();
        try
        {
            using var http = restarted.CreateClient();
            var list = JsonNode.Parse(await http.GetStringAsync("/api/v1/namespaces/default/configmaps"))!;
            var names = list["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()).ToHashSet();
            var lost = acknowledged.Where(a => !names.Contains(a)).ToList();
            Assert.True(lost.Count == 0, $"lost {lost.Count} acknowledged writes, e.g. {string.Join(",", lost.Take(5))}");

            // The revision sequence continues: a new write gets a larger resourceVersion than anything before.
            var maxRv = list["items"]!.AsArray().Max(i => long.Parse(i!["metadata"]!["resourceVersion"]!.GetValue<string>()));
            var created = JsonNode.Parse(await (await http.PostAsync("/api/v1/namespaces/default/configmaps", ConfigMap("after-restart"))).Content.ReadAsStringAsync())!;
            Assert.True(long.Parse(created["metadata"]!["resourceVersion"]!.GetValue<string>()) > maxRv);
        }
        finally
        {
            await restarted.DisposeAsync();
        }
    }
}
