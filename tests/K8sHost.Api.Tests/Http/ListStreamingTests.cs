using System.Net;
using System.Text.Json.Nodes;
using static K8sHost.Api.Tests.Http.ApiServerFixture;

namespace K8sHost.Api.Tests.Http;

[Collection(ApiServerCollection.Name)]
public sealed class ListStreamingTests(ApiServerFixture server)
{
    private const string ConfigMaps = "/api/v1/namespaces/lists/configmaps";

    private async Task EnsureConfigMapsAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            using var res = await server.Client.PostAsync(ConfigMaps, Json(ConfigMap($"cm-{i:D3}", "lists")));
            Assert.True(res.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict);
        }
    }

    [Fact]
    public async Task List_WithLimit_PagesWithContinueUntilEveryItemIsSeenOnce()
    {
        await EnsureConfigMapsAsync(7);
        var names = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var url = $"{ConfigMaps}?limit=3" + (token is null ? "" : "&continue=" + Uri.EscapeDataString(token));
            using var res = await server.Client.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, res.StatusCode);
            var list = await ReadObjectAsync(res);
            Assert.Equal("ConfigMapList", (string?)list["kind"]);
            Assert.Equal("v1", (string?)list["apiVersion"]);
            Assert.False(string.IsNullOrEmpty((string?)list["metadata"]!["resourceVersion"]));
            var items = list["items"]!.AsArray();
            Assert.InRange(items.Count, 1, 3);
            names.AddRange(items.Select(i => (string)i!["metadata"]!["name"]!));
            token = (string?)list["metadata"]!["continue"];
            if (token is not null) Assert.True((long?)list["metadata"]!["remainingItemCount"] is null or > 0);
            pages++;
        } while (!string.IsNullOrEmpty(token) && pages < 10);
        Assert.Equal(3, pages);
        Assert.Equal(names.Distinct().Count(), names.Count);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"cm-{i:D3}"), names.Where(n => n.StartsWith("cm-", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task List_ItemsAreTheStoredObjectsByteForByte()
    {
        await EnsureConfigMapsAsync(2);
        using var single = await server.Client.GetAsync($"{ConfigMaps}/cm-001");
        var singleText = await single.Content.ReadAsStringAsync();
        using var listRes = await server.Client.GetAsync(ConfigMaps + "?fieldSelector=metadata.name%3Dcm-001");
        var listText = await listRes.Content.ReadAsStringAsync();
        // The list envelope wraps the cached bytes of each version: the single GET's body appears verbatim.
        Assert.Contains(singleText, listText);
        Assert.Single(JsonNode.Parse(listText)!["items"]!.AsArray());
    }

    [Fact]
    public async Task List_LargerThanTheFlushThreshold_StreamsValidJson()
    {
        // ~40 objects of 4 KiB each: well past the 64 KiB flush threshold, so the writer flushes mid-list.
        var value = new string('z', 4096);
        for (var i = 0; i < 40; i++)
        {
            using var res = await server.Client.PostAsync("/api/v1/namespaces/lists/secrets",
                Json($$$"""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"big-{{{i}}}"},"stringData":{"v":"{{{value}}}"}}"""));
            Assert.True(res.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, await res.Content.ReadAsStringAsync());
        }
        using var list = await server.Client.GetAsync("/api/v1/namespaces/lists/secrets", HttpCompletionOption.ResponseHeadersRead);
        Assert.True(list.Headers.TransferEncodingChunked);
        var body = await ReadObjectAsync(list);
        Assert.Equal("SecretList", (string?)body["kind"]);
        Assert.True(body["items"]!.AsArray().Count >= 40);
    }

    [Fact]
    public async Task ListAllNamespaces_ReturnsItemsFromEveryNamespace()
    {
        await EnsureConfigMapsAsync(1);
        using var res = await server.Client.GetAsync("/api/v1/configmaps?labelSelector=");
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        var namespaces = (await ReadObjectAsync(res))["items"]!.AsArray().Select(i => (string?)i!["metadata"]!["namespace"]).Distinct().ToList();
        Assert.Contains("lists", namespaces);
        Assert.True(namespaces.Count > 1);
    }
}
