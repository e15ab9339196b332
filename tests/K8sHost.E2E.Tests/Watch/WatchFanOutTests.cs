using System.Diagnostics;
using System.Text.Json.Nodes;
using K8sHost.E2E.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace K8sHost.E2E.Tests.Watch;

/// <summary>Many real HTTPS watch streams on one namespace under concurrent mixed writes, against the server process.</summary>
[Collection("kubectl")]
public sealed class WatchFanOutTests(ServerFixture fx, ITestOutputHelper output) : IClassFixture<ServerFixture>
{
    private const string Sentinel = "zz-end";

    [Fact]
    public async Task TwentyWatchers_UnderTwoThousandMixedWrites_SeeEveryWriteOnceInOneOrder()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var http = ConfigMapApi.StreamingClient(fx.Server);
        var api = await ConfigMapApi.InNewNamespaceAsync(http, "fanout");
        var startRv = ConfigMapApi.RevisionOf(await api.ListAsync(ct: cts.Token));
        var sw = Stopwatch.StartNew();

        // 14 watchers see everything, 6 only color=red (objects that turn blue must leave them as DELETED). Half of them
        // share one HTTP/2 connection, as kubectl's watches do; 4 join from startRv halfway through the writes, so their
        // replay from the cache's history meets the live events while writes go on.
        var all = new List<WatchStream>();
        var red = new List<WatchStream>();
        var everything = $"{api.Collection}?watch=true&resourceVersion={startRv}";
        var onlyRed = everything + $"&labelSelector=color%3D{MixedWrites.Red}";
        try
        {
            for (var i = 0; i < 12; i++) all.Add(await WatchStream.OpenAsync(http, everything, cts.Token, http2: i % 2 == 0));
            for (var i = 0; i < 4; i++) red.Add(await WatchStream.OpenAsync(http, onlyRed, cts.Token, http2: i % 2 == 0));

            var written = 0;
            var writes = MixedWrites.RunAsync(api, writers: 4, writesPerWriter: 500, "cm", cts.Token, () => Interlocked.Increment(ref written));
            while (Volatile.Read(ref written) < 1000 && !writes.IsCompleted) await Task.Delay(5, cts.Token);
            Assert.False(writes.IsCompleted, "late watchers must join while writes are going on");
            for (var i = 0; i < 2; i++)
            {
                all.Add(await WatchStream.OpenAsync(http, everything, cts.Token, http2: i == 0));
                red.Add(await WatchStream.OpenAsync(http, onlyRed, cts.Token, http2: i == 0));
            }
            var acks = await writes;
            var writeTime = sw.Elapsed;
            var sentinelRv = await api.CreateAsync(ConfigMapApi.ConfigMap(Sentinel, new Dictionary<string, string> { ["color"] = MixedWrites.Red }), cts.Token);
            acks.Add(new AckedWrite("create", Sentinel, MixedWrites.Red, sentinelRv));

            var seenAll = await Task.WhenAll(all.Select(w => w.ReadUntilAsync(e => e.Name == Sentinel, cts.Token)));
            var seenRed = await Task.WhenAll(red.Select(w => w.ReadUntilAsync(e => e.Name == Sentinel, cts.Token)));
            output.WriteLine($"2000 writes in {writeTime.TotalSeconds:F1}s; all 20 watchers complete after {sw.Elapsed.TotalSeconds:F1}s");

            var reference = seenAll[0];
            AssertMatchesAcknowledgedWrites(reference, acks);
            foreach (var seen in seenAll.Concat(seenRed)) AssertStrictlyIncreasing(seen);
            for (var i = 1; i < seenAll.Length; i++)
                Assert.Equal(reference.Select(e => e.Key), seenAll[i].Select(e => e.Key));

            var expectedRed = SelectorView(reference, MixedWrites.Red).ToList();
            // Objects turned blue by an update must leave the selector as DELETED at the update's revision.
            var updates = reference.Where(e => e.Type == "MODIFIED").Select(e => e.ResourceVersion).ToHashSet();
            Assert.Contains(expectedRed, e => e.Item1 == "DELETED" && updates.Contains(e.Item3));
            foreach (var seen in seenRed)
                Assert.Equal(expectedRed, seen.Select(e => e.Key));
        }
        finally
        {
            foreach (var w in all.Concat(red)) await w.DisposeAsync();
        }
    }

    [Fact]
    public async Task Watch_ResumedFromLastSeenRevisionAfterADroppedConnection_HasNoGapAndNoDuplicate()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        using var http = ConfigMapApi.StreamingClient(fx.Server);
        var api = await ConfigMapApi.InNewNamespaceAsync(http, "resume");
        var startRv = ConfigMapApi.RevisionOf(await api.ListAsync(ct: cts.Token));
        var url = $"{api.Collection}?watch=true&resourceVersion=";

        await using var steady = await WatchStream.OpenAsync(http, url + startRv, cts.Token);
        var first = await WatchStream.OpenAsync(http, url + startRv, cts.Token);
        var written = 0;
        var writes = MixedWrites.RunAsync(api, writers: 2, writesPerWriter: 200, "cm", cts.Token, () => Interlocked.Increment(ref written));

        // Drop mid-stream, let writes happen while disconnected, then resume from the last revision we saw.
        var beforeDrop = await first.ReadUntilAsync(_ => true, cts.Token);
        while (beforeDrop.Count < 80) beforeDrop.AddRange(await first.ReadUntilAsync(_ => true, cts.Token));
        await first.DisposeAsync();
        var writtenAtDrop = Volatile.Read(ref written);
        while (Volatile.Read(ref written) < writtenAtDrop + 50 && !writes.IsCompleted) await Task.Delay(10, cts.Token);
        Assert.True(writtenAtDrop < 400, "the connection must drop while writes are still going on");

        await using var resumed = await WatchStream.OpenAsync(http, url + beforeDrop[^1].ResourceVersion, cts.Token);
        await writes;
        await api.CreateAsync(ConfigMapApi.ConfigMap(Sentinel), cts.Token);
        var afterDrop = await resumed.ReadUntilAsync(e => e.Name == Sentinel, cts.Token);
        var reference = await steady.ReadUntilAsync(e => e.Name == Sentinel, cts.Token);

        output.WriteLine($"dropped after {beforeDrop.Count} events ({writtenAtDrop} writes acknowledged), resumed with {afterDrop.Count}, reference {reference.Count}");
        Assert.True(afterDrop.Count > 50, "events written while disconnected must be replayed");
        AssertStrictlyIncreasing(reference);
        Assert.Equal(reference.Select(e => e.Key), beforeDrop.Concat(afterDrop).Select(e => e.Key));
    }

    [Fact]
    public async Task StalledWatcher_IsClosedWithoutHoldingUpOthers_AndResumesWithoutGap()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var http = ConfigMapApi.StreamingClient(fx.Server);
        var api = await ConfigMapApi.InNewNamespaceAsync(http, "stall");
        var startRv = ConfigMapApi.RevisionOf(await api.ListAsync(ct: cts.Token));
        var url = $"{api.Collection}?watch=true&resourceVersion=";
        await using var steady = await WatchStream.OpenAsync(http, url + startRv, cts.Token);
        var stalled = await WatchStream.OpenAsync(http, url + startRv, cts.Token, paused: true);
        var sw = Stopwatch.StartNew();

        // ~20 MB of big objects fill the stalled connection's socket buffers; then more small updates than the server
        // queues per watcher (1,000) overflow it. The server must close that watch instead of waiting for it.
        var big = new string('x', 900 * 1024);
        for (var i = 0; i < 24; i++) await api.CreateAsync(ConfigMapApi.ConfigMap($"big-{i:D2}", value: big), cts.Token);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            await api.CreateAsync(ConfigMapApi.ConfigMap($"tick-{w}"), cts.Token);
            for (var n = 1; n <= 300; n++)
                await api.PatchAsync($"tick-{w}", new JsonObject { ["data"] = new JsonObject { ["v"] = n.ToString() } }, cts.Token);
        })));
        await api.CreateAsync(ConfigMapApi.ConfigMap(Sentinel), cts.Token);
        var reference = await steady.ReadUntilAsync(e => e.Name == Sentinel, cts.Token);
        var writeTime = sw.Elapsed;
        Assert.Equal(24 + 4 + 1200 + 1, reference.Count);

        stalled.StartReading();
        using var quick = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
        quick.CancelAfter(TimeSpan.FromSeconds(15)); // a watch the server kept open would never end
        var beforeClose = await stalled.ReadUntilClosedAsync(quick.Token);
        await stalled.DisposeAsync();
        output.WriteLine($"writes and the reading watcher done in {writeTime.TotalSeconds:F1}s; the stalled watcher got {beforeClose.Count} events before it was closed");
        Assert.InRange(beforeClose.Count, 0, reference.Count - 2);
        Assert.Equal(reference.Take(beforeClose.Count).Select(e => e.Key), beforeClose.Select(e => e.Key));

        // The client does what client-go does: watch again from the last revision it saw, and gets the rest.
        var resumeFrom = beforeClose.Count > 0 ? beforeClose[^1].ResourceVersion : startRv;
        await using var resumed = await WatchStream.OpenAsync(http, url + resumeFrom, cts.Token);
        var rest = await resumed.ReadUntilAsync(e => e.Name == Sentinel, cts.Token);
        Assert.Equal(reference.Select(e => e.Key), beforeClose.Concat(rest).Select(e => e.Key));
    }

    [Fact]
    public async Task WatchList_SendsEveryCurrentObjectThenTheInitialEventsEndBookmarkThenLiveEvents()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var http = ConfigMapApi.StreamingClient(fx.Server);
        var api = await ConfigMapApi.InNewNamespaceAsync(http, "watchlist");
        var created = new Dictionary<string, long>();
        for (var i = 0; i < 5; i++)
        {
            var color = i < 2 ? MixedWrites.Red : MixedWrites.Blue;
            created[$"cm-{i}"] = await api.CreateAsync(ConfigMapApi.ConfigMap($"cm-{i}", new Dictionary<string, string> { ["color"] = color }), cts.Token);
        }

        const string query = "?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true";
        await using var everything = await WatchStream.OpenAsync(http, api.Collection + query, cts.Token);
        await using var onlyRed = await WatchStream.OpenAsync(http, api.Collection + query + "&labelSelector=color%3Dred", cts.Token);

        var (initial, bookmark) = await ReadInitialEventsAsync(everything, cts.Token);
        Assert.Equal(created.OrderBy(p => p.Key), initial.Select(e => KeyValuePair.Create(e.Name, e.ResourceVersion)).OrderBy(p => p.Key));
        Assert.True(bookmark.ResourceVersion >= created.Values.Max(), "the bookmark's resourceVersion covers every initial object");
        var (initialRed, _) = await ReadInitialEventsAsync(onlyRed, cts.Token);
        Assert.Equal(["cm-0", "cm-1"], initialRed.Select(e => e.Name).Order());

        var liveRv = await api.CreateAsync(ConfigMapApi.ConfigMap("cm-live", new Dictionary<string, string> { ["color"] = MixedWrites.Red }), cts.Token);
        var live = await NextNonBookmarkAsync(everything, cts.Token);
        Assert.Equal(("ADDED", "cm-live", liveRv), live.Key);
        Assert.True(live.ResourceVersion > bookmark.ResourceVersion);
        Assert.Equal(("ADDED", "cm-live", liveRv), (await NextNonBookmarkAsync(onlyRed, cts.Token)).Key);
    }

    [Theory]
    [InlineData("?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true")] // WatchList (kubectl wait, helm --wait)
    [InlineData("?watch=true")] // no resourceVersion: the current state as ADDED, then changes
    [InlineData("?watch=true&resourceVersion=0")] // "any" state, then changes
    public async Task WatchStartedWithTheCurrentState_UnderConcurrentWrites_ReplaysToExactlyTheFinalList(string query)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        using var http = ConfigMapApi.StreamingClient(fx.Server);
        var api = await ConfigMapApi.InNewNamespaceAsync(http, "informer");
        for (var i = 0; i < 200; i++) await api.CreateAsync(ConfigMapApi.ConfigMap($"pre-{i:D3}"), cts.Token);

        // The watch starts while writers run: the initial state and the first live events meet under load.
        var written = 0;
        var writes = MixedWrites.RunAsync(api, writers: 3, writesPerWriter: 200, "cm", cts.Token, () => Interlocked.Increment(ref written));
        while (Volatile.Read(ref written) < 100 && !writes.IsCompleted) await Task.Delay(5, cts.Token);
        await using var watch = await WatchStream.OpenAsync(http, api.Collection + query, cts.Token);
        Assert.False(writes.IsCompleted, "the watch must start while writes are going on");
        await writes;
        await api.CreateAsync(ConfigMapApi.ConfigMap(Sentinel), cts.Token);
        var events = await watch.ReadUntilAsync(e => e.Name == Sentinel, cts.Token);

        // Replay the stream the way an informer does; every step must be legal, and the end must be the list.
        var state = new SortedDictionary<string, string>(StringComparer.Ordinal);
        // Without sendInitialEvents the initial ADDED events (key order) and live ones are not told apart: only the replay is checked.
        var initialDone = !query.Contains("sendInitialEvents", StringComparison.Ordinal);
        long lastLive = 0;
        foreach (var e in events)
        {
            if (e.Type == "BOOKMARK")
            {
                if ((string?)e.Raw["object"]?["metadata"]?["annotations"]?["k8s.io/initial-events-end"] == "true")
                {
                    Assert.False(initialDone, "one initial-events-end bookmark, after the initial events");
                    Assert.All(state.Values, rv => Assert.True(long.Parse(rv) <= e.ResourceVersion));
                    initialDone = true;
                    lastLive = e.ResourceVersion;
                }
                continue;
            }
            if (!initialDone) Assert.Equal("ADDED", e.Type);
            else if (lastLive > 0) // after the WatchList bookmark: only newer changes, in order
            {
                Assert.True(e.ResourceVersion > lastLive, $"{e.Key} after revision {lastLive}");
                lastLive = e.ResourceVersion;
            }
            switch (e.Type)
            {
                case "ADDED": Assert.True(state.TryAdd(e.Name, e.ResourceVersion.ToString()), $"{e.Name} added twice"); break;
                case "MODIFIED":
                    Assert.True(state.ContainsKey(e.Name), $"{e.Name} modified before it was added");
                    state[e.Name] = e.ResourceVersion.ToString();
                    break;
                case "DELETED": Assert.True(state.Remove(e.Name), $"{e.Name} deleted before it was added"); break;
                default: throw new Xunit.Sdk.XunitException($"unexpected event {e.Raw.ToJsonString()}");
            }
        }
        Assert.True(initialDone);
        Assert.Equal(await api.StateAsync(cts.Token), state);
    }

    private static async Task<(List<SeenEvent> Initial, SeenEvent Bookmark)> ReadInitialEventsAsync(WatchStream w, CancellationToken ct)
    {
        var events = await w.ReadUntilAsync(e => e.Type == "BOOKMARK", ct);
        var bookmark = events[^1];
        var initial = events[..^1];
        Assert.All(initial, e => Assert.Equal("ADDED", e.Type));
        Assert.Equal("true", (string?)bookmark.Raw["object"]?["metadata"]?["annotations"]?["k8s.io/initial-events-end"]);
        Assert.Equal("ConfigMap", (string?)bookmark.Raw["object"]?["kind"]);
        return (initial, bookmark);
    }

    private static async Task<SeenEvent> NextNonBookmarkAsync(WatchStream w, CancellationToken ct)
    {
        // Periodic bookmarks may come at any time once asked for; they carry no change.
        while (true)
        {
            var ev = await w.NextAsync(ct) ?? throw new Xunit.Sdk.XunitException("the watch ended");
            if (ev.Type != "BOOKMARK") return ev;
        }
    }

    private static void AssertStrictlyIncreasing(List<SeenEvent> seen)
    {
        for (var i = 1; i < seen.Count; i++)
            Assert.True(seen[i].ResourceVersion > seen[i - 1].ResourceVersion,
                $"event {i} ({seen[i].Key}) does not follow {seen[i - 1].Key} in revision order");
    }

    /// <summary>Exactly one event per acknowledged write: ADDED/MODIFIED at the acknowledged revision, DELETED per delete.</summary>
    private static void AssertMatchesAcknowledgedWrites(List<SeenEvent> seen, List<AckedWrite> acks)
    {
        Assert.DoesNotContain(seen, e => e.Type is "ERROR" or "BOOKMARK");
        Assert.Equal(acks.Count(a => a.Verb == "create"), seen.Count(e => e.Type == "ADDED"));
        Assert.Equal(acks.Count(a => a.Verb == "update"), seen.Count(e => e.Type == "MODIFIED"));
        Assert.Equal(acks.Count(a => a.Verb == "delete"), seen.Count(e => e.Type == "DELETED"));
        Assert.Equal(Acked("create"), Seen("ADDED"));
        Assert.Equal(Acked("update"), Seen("MODIFIED"));
        Assert.Equal(acks.Where(a => a.Verb == "delete").Select(a => a.Name).Order(StringComparer.Ordinal),
            seen.Where(e => e.Type == "DELETED").Select(e => e.Name).Order(StringComparer.Ordinal));
        // Each object's own events come in write order: the label seen is the label written.
        Assert.Equal(Colors(acks.Where(a => a.Verb != "delete")), Colors(seen.Where(e => e.Type != "DELETED").Select(e => new AckedWrite("", e.Name, e.Label("color"), e.ResourceVersion))));

        List<(string, long)> Acked(string verb) => [.. acks.Where(a => a.Verb == verb).Select(a => (a.Name, a.ResourceVersion)).Order()];
        List<(string, long)> Seen(string type) => [.. seen.Where(e => e.Type == type).Select(e => (e.Name, e.ResourceVersion)).Order()];

        static List<(long, string?)> Colors(IEnumerable<AckedWrite> w) => [.. w.Select(a => (a.ResourceVersion, a.Color)).Order()];
    }

    /// <summary>What a watcher with labelSelector color=<paramref name="color"/> must see, derived from the full sequence.</summary>
    private static IEnumerable<(string, string, long)> SelectorView(List<SeenEvent> full, string color)
    {
        var matching = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in full)
        {
            var was = matching.Contains(e.Name);
            var isNow = e.Type != "DELETED" && e.Label("color") == color;
            if (isNow) matching.Add(e.Name); else matching.Remove(e.Name);
            if (isNow) yield return (was ? "MODIFIED" : "ADDED", e.Name, e.ResourceVersion);
            else if (was) yield return ("DELETED", e.Name, e.ResourceVersion);
        }
    }
}
