using System.Net;
using System.Text.Json.Nodes;
using K8sHost.E2E.Tests.Infrastructure;
using Xunit;

namespace K8sHost.E2E.Tests.Watch;

/// <summary>
/// Revisions older than the watch cache's window get 410 Expired. The server's window (5 minutes, 100,000 events) cannot
/// be shrunk from outside, but a restart empties it: the cache reloads at the store's current revision, so any earlier
/// revision is out of the window, as it is for kube-apiserver after a restart.
/// </summary>
[Collection("kubectl")]
public sealed class HistoryWindowTests
{
    [Fact]
    public async Task WatchAndContinue_FromARevisionBeforeTheWindow_Get410Expired()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await using var server = new ServerProcess();
        await server.StartAsync();

        string ns, token;
        long oldRv, pageRv;
        using (var before = server.CreateClient())
        {
            var api = await ConfigMapApi.InNewNamespaceAsync(before, "expired");
            oldRv = await api.CreateAsync(ConfigMapApi.ConfigMap("cm-0"), cts.Token);
            for (var i = 1; i < 5; i++) await api.CreateAsync(ConfigMapApi.ConfigMap($"cm-{i}"), cts.Token);
            var page = await api.ListAsync("?limit=2", cts.Token);
            token = (string)page["metadata"]!["continue"]!;
            pageRv = ConfigMapApi.RevisionOf(page);
            await api.CreateAsync(ConfigMapApi.ConfigMap("after-page"), cts.Token); // the window now starts after pageRv
            ns = api.Namespace;
        }

        await server.TerminateAsync(TimeSpan.FromSeconds(20));
        await server.StartAsync();
        using var http = ConfigMapApi.StreamingClient(server);
        var collection = $"/api/v1/namespaces/{ns}/configmaps";

        // Watch: a 200 stream with one ERROR event carrying a 410 Expired Status, then the end of the stream.
        using (var req = new HttpRequestMessage(HttpMethod.Get, $"{collection}?watch=true&resourceVersion={oldRv}"))
        using (var res = await http.SendAsync(req, HttpCompletionOption.ResponseHeadersRead, cts.Token))
        {
            if (res.StatusCode == HttpStatusCode.Gone)
                await StatusResponse.AssertAsync(res, HttpStatusCode.Gone, "Expired");
            else
            {
                Assert.Equal(HttpStatusCode.OK, res.StatusCode);
                using var quick = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
                quick.CancelAfter(TimeSpan.FromSeconds(10)); // a watch that was wrongly accepted would stream forever
                using var reader = new StreamReader(await res.Content.ReadAsStreamAsync(cts.Token));
                var json = JsonNode.Parse(await reader.ReadLineAsync(quick.Token) ?? "null");
                Assert.Equal("ERROR", (string?)json?["type"]);
                Assert.Equal("Status", (string?)json!["object"]!["kind"]);
                Assert.Equal(410, (int?)json["object"]!["code"]);
                Assert.Equal("Expired", (string?)json["object"]!["reason"]);
                Assert.Null(await reader.ReadLineAsync(quick.Token)); // and the stream ends
            }
        }

        // A continue token issued before the window: 410 Expired (the client must restart the list).
        using (var res = await http.GetAsync($"{collection}?limit=2&continue={Uri.EscapeDataString(token)}", cts.Token))
            await StatusResponse.AssertAsync(res, HttpStatusCode.Gone, "Expired");

        // An exact list at the old revision: 410 Expired too.
        using (var res = await http.GetAsync($"{collection}?resourceVersion={pageRv}&resourceVersionMatch=Exact", cts.Token))
            await StatusResponse.AssertAsync(res, HttpStatusCode.Gone, "Expired");

        // The current revision is inside the window: a watch from it works and sees new writes.
        var api2 = new ConfigMapApi(http, ns);
        var nowRv = ConfigMapApi.RevisionOf(await api2.ListAsync(ct: cts.Token));
        await using var watch = await WatchStream.OpenAsync(http, $"{collection}?watch=true&resourceVersion={nowRv}", cts.Token);
        var rv = await api2.CreateAsync(ConfigMapApi.ConfigMap("after-restart"), cts.Token);
        var seen = await watch.NextAsync(cts.Token);
        Assert.Equal(("ADDED", "after-restart", rv), seen?.Key);
    }
}
