using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using K8sHost.E2E.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace K8sHost.E2E.Tests.Watch;

/// <summary>limit/continue paging over real HTTPS while other clients write: every page is served at the first page's revision.</summary>
[Collection("kubectl")]
public sealed class PaginationTests(ServerFixture fx, ITestOutputHelper output) : IClassFixture<ServerFixture>
{
    private const int Objects = 1200;
    private const int PageSize = 100;
    private const int Writers = 3;

    [Fact]
    public async Task PagedList_UnderConcurrentCreatesUpdatesAndDeletes_ReturnsEveryObjectOfTheFirstPagesRevisionExactlyOnce()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        using var http = fx.Server.CreateClient();
        var api = await ConfigMapApi.InNewNamespaceAsync(http, "paging");
        var sw = Stopwatch.StartNew();
        var created = await CreateBaseAsync(api, cts.Token);
        output.WriteLine($"created {Objects} in {sw.Elapsed.TotalSeconds:F1}s");

        var first = await api.ListAsync($"?limit={PageSize}", cts.Token);
        var listRv = (string)first["metadata"]!["resourceVersion"]!;

        // Every write below happens after the first page's revision: none of it may show in the remaining pages.
        var written = 0;
        var deleted = new System.Collections.Concurrent.ConcurrentBag<string>();
        using var stopWriting = new CancellationTokenSource();
        var writers = Enumerable.Range(0, Writers)
            .Select(w => Task.Run(() => WriteAsync(api, w, created.Keys.ToList(), deleted, () => Interlocked.Increment(ref written), stopWriting.Token)))
            .ToArray();

        var pages = new List<JsonObject> { first };
        try
        {
            while ((string?)pages[^1]["metadata"]!["continue"] is { Length: > 0 } token)
            {
                var target = Volatile.Read(ref written) + 10; // let the writers move on between pages
                while (Volatile.Read(ref written) < target) await Task.Delay(5, cts.Token);
                pages.Add(await api.ListAsync($"?limit={PageSize}&continue={Uri.EscapeDataString(token)}", cts.Token));
            }
        }
        finally
        {
            await stopWriting.CancelAsync();
            await Task.WhenAll(writers);
        }
        output.WriteLine($"{pages.Count} pages, {written} concurrent writes ({deleted.Count} deletes), {sw.Elapsed.TotalSeconds:F1}s total");

        Assert.Equal(Objects / PageSize, pages.Count);
        Assert.All(pages, p => Assert.True(p["items"]!.AsArray().Count <= PageSize));
        Assert.All(pages, p => Assert.Equal(listRv, (string?)p["metadata"]!["resourceVersion"]));
        var items = pages.SelectMany(p => p["items"]!.AsArray()).Select(i => i!.AsObject()).ToList();
        var names = items.Select(i => (string)i["metadata"]!["name"]!).ToList();
        Assert.Equal(names.Distinct().Count(), names.Count); // exactly once
        Assert.Equal(created.Keys.Order(StringComparer.Ordinal), names); // all of them, in key order, nothing created later
        // Each object as it was at the first page's revision: updated objects keep their old version, deleted ones are still there.
        Assert.All(items, i => Assert.Equal(created[(string)i["metadata"]!["name"]!], (string)i["metadata"]!["resourceVersion"]!));
        Assert.All(items, i => Assert.Equal("0", (string?)i["data"]!["v"]));

        Assert.True(deleted.Count > 0 && written > deleted.Count, "writers must have updated and deleted objects during paging");
        var now = await api.StateAsync(cts.Token);
        Assert.All(deleted, name => Assert.False(now.ContainsKey(name)));
    }

    [Fact]
    public async Task PagedListAcrossNamespaces_WithLabelSelectorUnderConcurrentCreates_ReturnsExactlyTheMatchingObjectsOfTheFirstPagesRevision()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var http = fx.Server.CreateClient();
        var run = Guid.NewGuid().ToString("N")[..8];
        var labels = new Dictionary<string, string> { ["run"] = run };
        var apis = new List<ConfigMapApi>();
        for (var n = 0; n < 3; n++) apis.Add(await ConfigMapApi.InNewNamespaceAsync(http, "pagens"));
        var expected = new List<string>();
        await Parallel.ForEachAsync(Enumerable.Range(0, 450), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cts.Token }, async (i, c) =>
        {
            var api = apis[i % 3];
            // Every other object is unlabelled: pages are filled from the matching ones only.
            await api.CreateAsync(ConfigMapApi.ConfigMap($"obj-{i:D3}", i % 2 == 0 ? labels : null), c);
            if (i % 2 == 0) lock (expected) expected.Add($"{api.Namespace}/obj-{i:D3}");
        });

        var url = $"/api/v1/configmaps?limit=50&labelSelector=run%3D{run}";
        var first = await ConfigMapApi.EnsureAsync(await http.GetAsync(url, cts.Token), HttpStatusCode.OK);
        using var stopWriting = new CancellationTokenSource();
        var written = 0;
        var writer = Task.Run(async () =>
        {
            try
            {
                for (var n = 0; !stopWriting.IsCancellationRequested; n++)
                {
                    await apis[n % 3].CreateAsync(ConfigMapApi.ConfigMap($"late-{n:D4}", labels), stopWriting.Token);
                    Interlocked.Increment(ref written);
                }
            }
            catch (OperationCanceledException) when (stopWriting.IsCancellationRequested) { }
        });
        var pages = new List<JsonObject> { first };
        try
        {
            while ((string?)pages[^1]["metadata"]!["continue"] is { Length: > 0 } token)
            {
                var target = Volatile.Read(ref written) + 5; // matching objects land in every namespace between pages
                while (Volatile.Read(ref written) < target) await Task.Delay(5, cts.Token);
                pages.Add(await ConfigMapApi.EnsureAsync(await http.GetAsync($"{url}&continue={Uri.EscapeDataString(token)}", cts.Token), HttpStatusCode.OK));
            }
        }
        finally
        {
            await stopWriting.CancelAsync();
            await writer;
        }

        var seen = pages.SelectMany(p => p["items"]!.AsArray())
            .Select(i => $"{(string)i!["metadata"]!["namespace"]!}/{(string)i["metadata"]!["name"]!}").ToList();
        Assert.Equal(expected.Order(StringComparer.Ordinal), seen); // each once, in namespace/name order, none created later
        Assert.Equal(225 / 50 + 1, pages.Count);
    }

    [Theory]
    [InlineData("not-a-continue-token")]
    [InlineData("eyJydiI6NSwic3RhcnQiOiIuLi8uLi9vdGhlci9rZXkifQ")] // {"rv":5,"start":"../../other/key"}: escapes the list prefix
    [InlineData("eyJydiI6LTEsInN0YXJ0IjoieCJ9")] // {"rv":-1,"start":"x"}
    public async Task List_WithGarbageContinueToken_Returns400StatusAndNoItems(string token)
    {
        using var http = fx.Server.CreateClient();
        var api = await ConfigMapApi.InNewNamespaceAsync(http, "badcontinue");
        await api.CreateAsync(ConfigMapApi.ConfigMap("a"));
        using var res = await http.GetAsync($"{api.Collection}?limit=1&continue={Uri.EscapeDataString(token)}");
        await StatusResponse.AssertAsync(res, HttpStatusCode.BadRequest, "BadRequest");
    }

    private static async Task<Dictionary<string, string>> CreateBaseAsync(ConfigMapApi api, CancellationToken ct)
    {
        var created = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
        await Parallel.ForEachAsync(Enumerable.Range(0, Objects), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (i, c) =>
        {
            var name = $"base-{i:D4}";
            created[name] = (await api.CreateAsync(ConfigMapApi.ConfigMap(name), c)).ToString();
        });
        return new Dictionary<string, string>(created);
    }

    // Writer w owns base objects i % Writers == w: it updates and deletes only those, and creates new ones.
    private static async Task WriteAsync(ConfigMapApi api, int w, List<string> baseNames, System.Collections.Concurrent.ConcurrentBag<string> deleted,
        Action wrote, CancellationToken stop)
    {
        var mine = baseNames.Where((_, i) => i % Writers == w).ToList();
        var random = new Random(w);
        try
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                switch (n % 3)
                {
                    case 0:
                        await api.CreateAsync(ConfigMapApi.ConfigMap($"late-{w}-{n}"), stop);
                        break;
                    case 1:
                        await api.PatchAsync(mine[random.Next(mine.Count)], new JsonObject { ["data"] = new JsonObject { ["v"] = $"changed-{n}" } }, stop);
                        break;
                    default:
                        var at = random.Next(mine.Count);
                        await api.DeleteAsync(mine[at], stop);
                        deleted.Add(mine[at]);
                        mine.RemoveAt(at);
                        break;
                }
                wrote();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
    }
}

/// <summary>Checks an error response is a metav1.Status with the expected code and reason.</summary>
public static class StatusResponse
{
    public static async Task<JsonObject> AssertAsync(HttpResponseMessage res, HttpStatusCode code, string reason)
    {
        var text = await res.Content.ReadAsStringAsync();
        Assert.True(res.StatusCode == code, $"expected {(int)code}, got {(int)res.StatusCode}: {text}");
        var status = JsonNode.Parse(text)!.AsObject();
        Assert.Equal("Status", (string?)status["kind"]);
        Assert.Equal("Failure", (string?)status["status"]);
        Assert.Equal((int)code, (int?)status["code"]);
        Assert.Equal(reason, (string?)status["reason"]);
        return status;
    }

    public static StringContent Body(string text, string contentType) => new(text, Encoding.UTF8, contentType);
}
