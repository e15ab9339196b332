using System.Net;
using System.Text.Json.Nodes;
using static K8sHost.Api.Tests.Http.ApiServerFixture;

namespace K8sHost.Api.Tests.Http;

/// <summary>Watch framing: one JSON line per event, flushed at once, ending cleanly.</summary>
[Collection(ApiServerCollection.Name)]
public sealed class WatchTests(ApiServerFixture server)
{
    private const string ConfigMaps = "/api/v1/namespaces/watches/configmaps";
    private static readonly TimeSpan EventWait = TimeSpan.FromSeconds(10);

    private sealed class WatchStream(HttpResponseMessage res, StreamReader reader, CancellationTokenSource cts) : IAsyncDisposable
    {
        public HttpResponseMessage Response { get; } = res;

        public async Task<JsonObject> NextAsync()
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
            timeout.CancelAfter(EventWait);
            var line = await reader.ReadLineAsync(timeout.Token) ?? throw new EndOfStreamException("watch ended");
            return JsonNode.Parse(line)!.AsObject();
        }

        /// <summary>Reads events until one matches (skipping unrelated ones), bounded by the per-event wait.</summary>
        public async Task<JsonObject> NextMatchingAsync(Func<JsonObject, bool> match)
        {
            for (var i = 0; i < 100; i++)
            {
                var ev = await NextAsync();
                if (match(ev)) return ev;
            }
            throw new InvalidOperationException("no matching event");
        }

        public async Task<bool> EndsAsync(TimeSpan within)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
            timeout.CancelAfter(within);
            while (await reader.ReadLineAsync(timeout.Token) is not null) { }
            return true;
        }

        public async ValueTask DisposeAsync()
        {
            await cts.CancelAsync();
            reader.Dispose();
            Response.Dispose();
            cts.Dispose();
        }
    }

    private async Task<WatchStream> OpenAsync(string url, string accept = "application/json")
    {
        var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var req = new HttpRequestMessage(HttpMethod.Get, url);
        req.Headers.TryAddWithoutValidation("Accept", accept);
        var client = server.NewClient(Timeout.InfiniteTimeSpan);
        var res = await client.SendAsync(req, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        // Read the body only on failure: a successful watch body never ends.
        if (res.StatusCode != HttpStatusCode.OK) Assert.Fail($"{(int)res.StatusCode}: {await res.Content.ReadAsStringAsync(cts.Token)}");
        var reader = new StreamReader(await res.Content.ReadAsStreamAsync(cts.Token));
        return new WatchStream(res, reader, cts);
    }

    private async Task<string> CreateAsync(string name, string? data = null)
    {
        using var res = await server.Client.PostAsync(ConfigMaps, Json(ConfigMap(name, "watches", data ?? """{"k":"v"}""")));
        Assert.Equal(HttpStatusCode.Created, res.StatusCode);
        return (string)(await ReadObjectAsync(res))["metadata"]!["resourceVersion"]!;
    }

    private async Task<string> CurrentListRevisionAsync()
    {
        using var res = await server.Client.GetAsync(ConfigMaps);
        return (string)(await ReadObjectAsync(res))["metadata"]!["resourceVersion"]!;
    }

    [Fact]
    public async Task Watch_SendsEachChangeAsOneFlushedJsonLine()
    {
        var rv = await CurrentListRevisionAsync();
        await using var watch = await OpenAsync($"{ConfigMaps}?watch=true&resourceVersion={rv}");
        Assert.Equal("application/json", watch.Response.Content.Headers.ContentType!.MediaType);
        Assert.Null(watch.Response.Content.Headers.ContentLength);

        // Created after the watch is open: the line must arrive while the stream stays open (flushed, not buffered).
        await CreateAsync("w-added");
        var added = await watch.NextMatchingAsync(e => (string?)e["object"]!["metadata"]!["name"] == "w-added");
        Assert.Equal("ADDED", (string?)added["type"]);
        Assert.Equal("ConfigMap", (string?)added["object"]!["kind"]);

        using var del = await server.Client.DeleteAsync($"{ConfigMaps}/w-added");
        Assert.Equal(HttpStatusCode.OK, del.StatusCode);
        var deleted = await watch.NextMatchingAsync(e => (string?)e["object"]!["metadata"]!["name"] == "w-added");
        Assert.Equal("DELETED", (string?)deleted["type"]);
    }

    [Fact]
    public async Task WatchList_SendsInitialEventsThenBookmarkWithInitialEventsEndAnnotation()
    {
        await CreateAsync("wl-" + Guid.NewGuid().ToString("N")[..8]);
        await using var watch = await OpenAsync(
            $"{ConfigMaps}?allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan&sendInitialEvents=true&timeoutSeconds=30&watch=true");
        var sawAdded = false;
        while (true)
        {
            var ev = await watch.NextAsync();
            if ((string?)ev["type"] == "ADDED") { sawAdded = true; continue; }
            Assert.Equal("BOOKMARK", (string?)ev["type"]);
            var obj = ev["object"]!;
            Assert.Equal("ConfigMap", (string?)obj["kind"]);
            Assert.Equal("v1", (string?)obj["apiVersion"]);
            Assert.False(string.IsNullOrEmpty((string?)obj["metadata"]!["resourceVersion"]));
            Assert.Equal("true", (string?)obj["metadata"]!["annotations"]!["k8s.io/initial-events-end"]);
            break;
        }
        Assert.True(sawAdded);
    }

    [Fact]
    public async Task Watch_WithTableAccept_SendsOneRowTablesWithColumnsOnlyInTheFirst()
    {
        var rv = await CurrentListRevisionAsync();
        await using var watch = await OpenAsync($"{ConfigMaps}?watch=true&resourceVersion={rv}",
            "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
        await CreateAsync("wt-1");
        await CreateAsync("wt-2");
        var first = await watch.NextAsync();
        var second = await watch.NextAsync();
        Assert.Equal("Table", (string?)first["object"]!["kind"]);
        Assert.NotNull(first["object"]!["columnDefinitions"]);
        Assert.Null(second["object"]!["columnDefinitions"]);
        var row = second["object"]!["rows"]!.AsArray().Single()!;
        Assert.Equal("wt-2", (string?)row["cells"]![0]);
        Assert.Equal("PartialObjectMetadata", (string?)row["object"]!["kind"]);
    }

    [Fact]
    public async Task LegacyWatchPath_StreamsEventsForOneName()
    {
        var rv = await CurrentListRevisionAsync();
        await using var watch = await OpenAsync($"/api/v1/watch/namespaces/watches/configmaps/wl-one?resourceVersion={rv}");
        await CreateAsync("wl-other");
        await CreateAsync("wl-one");
        var ev = await watch.NextAsync();
        Assert.Equal("wl-one", (string?)ev["object"]!["metadata"]!["name"]);
    }

    [Fact]
    public async Task Watch_WithTimeoutSeconds_EndsTheStreamCleanly()
    {
        var rv = await CurrentListRevisionAsync();
        await using var watch = await OpenAsync($"{ConfigMaps}?watch=1&timeoutSeconds=1&resourceVersion={rv}");
        Assert.True(await watch.EndsAsync(TimeSpan.FromSeconds(15)));
    }

    [Fact]
    public async Task Watch_FromRevisionOlderThanHistory_SendsErrorEventWith410()
    {
        await server.PushRevision1OutOfHistoryAsync();
        await using var watch = await OpenAsync($"{ConfigMaps}?watch=true&resourceVersion=1");
        var ev = await watch.NextAsync();
        Assert.Equal("ERROR", (string?)ev["type"]);
        Assert.Equal("Status", (string?)ev["object"]!["kind"]);
        Assert.Equal(410, (int?)ev["object"]!["code"]);
    }
}
