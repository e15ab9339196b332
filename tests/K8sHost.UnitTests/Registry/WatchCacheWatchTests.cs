using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;
using K8sHost.Registry.Contracts;
using Xunit;
using static K8sHost.UnitTests.Registry.RegistryHarness;

namespace K8sHost.UnitTests.Registry;

public sealed class WatchCacheWatchTests
{
    private static async Task<WatchEvent> Next(IWatchSubscription w, int timeoutMs = 5000)
    {
        using var cts = new CancellationTokenSource(timeoutMs);
        return await w.Events.ReadAsync(cts.Token);
    }

    private static async Task<List<WatchEvent>> Take(IWatchSubscription w, int n)
    {
        var list = new List<WatchEvent>();
        while (list.Count < n) list.Add(await Next(w));
        return list;
    }

    private static async Task AssertNoEvent(IWatchSubscription w, int ms = 300)
    {
        using var cts = new CancellationTokenSource(ms);
        try
        {
            var ev = await w.Events.ReadAsync(cts.Token);
            Assert.Fail($"unexpected {ev.Type} {ev.Object?.Name}");
        }
        catch (OperationCanceledException) { }
    }

    private static Task<WriteResult> SetLabel(RegistryHarness h, string name, string value)
    {
        var patch = Obj("""{"metadata":{"labels":{}}}""");
        patch["metadata"]!["labels"]!["app"] = value;
        return h.Registry.UpdateAsync(h.Rc, TestKinds.ConfigMaps, "default", name, null, Merge(h, name, value), new WriteOptions(), Ct);
    }

    private static JsonObject Merge(RegistryHarness h, string name, string value)
    {
        var current = h.Cache.TryGet($"k8s/{h.Rc.Tenant.Organization}/{h.Rc.Tenant.Project}/configmaps/default/{name}")!.Json();
        current["metadata"]!["labels"] = new JsonObject { ["app"] = value };
        return current;
    }

    [Fact]
    public async Task Watch_FromResourceVersion_DeliversOnlyNewerEventsInOrder()
    {
        await using var h = await StartAsync();
        var a = await h.CreateConfigMapAsync("a");
        await using var w = await h.Registry.WatchAsync(h.Rc, TestKinds.ConfigMaps, "default",
            new WatchOptions { ResourceVersion = a.Object.Revision.ToString() }, Ct);
        var b = await h.CreateConfigMapAsync("b");
        await h.Registry.DeleteAsync(h.Rc, TestKinds.ConfigMaps, "default", "a", new DeleteOptions(), Ct);
        var events = await Take(w, 2);
        Assert.Equal((WatchEventType.Added, "b", b.Object.Revision), (events[0].Type, events[0].Object!.Name, events[0].Revision));
        Assert.Equal(WatchEventType.Deleted, events[1].Type);
        Assert.Equal("a", events[1].Object!.Name);
        Assert.Equal(events[1].Revision.ToString(), events[1].Object!.At("metadata", "resourceVersion"));
        await AssertNoEvent(w);
    }

    [Fact]
    public async Task Watch_ResumeFromEveryRevision_HasNoGapAndNoDuplicate()
    {
        await using var h = await StartAsync();
        var start = h.Cache.Revision;
        var revisions = new List<long>();
        for (var i = 0; i < 10; i++) revisions.Add((await h.CreateConfigMapAsync($"cm-{i}")).Object.Revision);
        foreach (var (rev, idx) in revisions.Prepend(start).Select((r, i) => (r, i)).Take(10))
        {
            await using var w = await h.Registry.WatchAsync(h.Rc, TestKinds.ConfigMaps, "default",
                new WatchOptions { ResourceVersion = rev.ToString() }, Ct);
            var events = await Take(w, 10 - idx);
            Assert.Equal(revisions.Skip(idx), events.Select(e => e.Revision));
            await AssertNoEvent(w, 100);
        }
    }

    [Fact]
    public async Task Watch_FromRevisionOutsideWindow_SendsOne410ErrorThenEnds()
    {
        await using var h = await StartAsync(o => o.MaxEvents = 3);
        var a = await h.CreateConfigMapAsync("a");
        for (var i = 0; i < 5; i++) await h.CreateConfigMapAsync($"x{i}");
        await using var w = await h.Registry.WatchAsync(h.Rc, TestKinds.ConfigMaps, "default",
            new WatchOptions { ResourceVersion = a.Object.Revision.ToString() }, Ct);
        var ev = await Next(w);
        Assert.Equal(WatchEventType.Error, ev.Type);
        Assert.Equal(410, ev.Error!["code"]!.GetValue<int>());
        Assert.Equal("Expired", ev.Error["reason"]!.GetValue<string>());
        Assert.StartsWith($"too old resource version: {a.Object.Revision} (", ev.Error["message"]!.GetValue<string>());
        using var cts = new CancellationTokenSource(2000);
        Assert.False(await w.Events.WaitToReadAsync(cts.Token));
    }

    [Fact]
    public async Task Watch_AfterStoreCompaction_CacheKeepsServing()
    {
        await using var h = await StartAsync();
        await h.CreateConfigMapAsync("a");
        await h.CreateConfigMapAsync("b");
        await h.Store.CompactAsync(await h.Store.GetCurrentRevisionAsync());
        await h.CreateConfigMapAsync("c");
        var list = await h.Registry.ListAsync(h.Rc, TestKinds.ConfigMaps, "default", new ListOptions(), Ct);
        Assert.Equal(["a", "b", "c"], list.Items.Select(i => i.Name));
    }

    [Fact]
    public async Task Watch_WithSelector_TurnsStopMatchingIntoDeletedAndStartMatchingIntoAdded()
    {
        await using var h = await StartAsync();
        await h.CreateConfigMapAsync("a", labels: """{"app":"web"}""");
        await using var w = await h.Registry.WatchAsync(h.Rc, TestKinds.ConfigMaps, "default",
            new WatchOptions { LabelSelector = "app=web", ResourceVersion = h.Cache.Revision.ToString() }, Ct);
        await h.CreateConfigMapAsync("other", labels: """{"app":"db"}""");
        await SetLabel(h, "a", "db");
        await SetLabel(h, "a", "web");
        var events = await Take(w, 2);
        Assert.Equal(WatchEventType.Deleted, events[0].Type);
        Assert.Equal("db", events[0].Object!.At("metadata", "labels", "app"));
        Assert.Equal(WatchEventType.Added, events[1].Type);
        await AssertNoEvent(w);
    }

    [Fact]
    public async Task Watch_WithoutResourceVersion_StartsWithSyntheticAddedForCurrentObjects()
    {
        await using var h = await StartAsync();
        await h.CreateConfigMapAsync("a");
        await h.CreateConfigMapAsync("b");
        await using var w = await h.Registry.WatchAsync(h.Rc, TestKinds.ConfigMaps, "default", new WatchOptions(), Ct);
        var events = await Take(w, 2);
        Assert.All(events, e => Assert.Equal(WatchEventType.Added, e.Type));
        await h.CreateConfigMapAsync("c");
        Assert.Equal("c", (await Next(w)).Object!.Name);
    }

    [Fact]
    public async Task Watch_SendInitialEvents_EndsInitialStateWithBookmark()
    {
        await using var h = await StartAsync();
        await h.CreatePodAsync("web", labels: """{"app":"web"}""");
        await h.CreatePodAsync("db");
        await using var w = await h.Registry.WatchAsync(h.Rc, TestKinds.Pods, "default", new WatchOptions
        {
            SendInitialEvents = true,
            AllowBookmarks = true,
            ResourceVersionMatch = "NotOlderThan",
            ResourceVersion = "1",
            FieldSelector = "metadata.name=web",
        }, Ct);
        var added = await Next(w);
        Assert.Equal((WatchEventType.Added, "web"), (added.Type, added.Object!.Name));
        var bookmark = await Next(w);
        Assert.Equal(WatchEventType.Bookmark, bookmark.Type);
        Assert.True(bookmark.InitialEventsEnd);
        Assert.True(bookmark.Revision >= added.Revision);
        await h.Registry.DeleteAsync(h.Rc, TestKinds.Pods, "default", "web", new DeleteOptions(), Ct);
        Assert.Equal(WatchEventType.Deleted, (await Next(w)).Type);
    }

    [Fact]
    public async Task Watch_WithBookmarks_ReceivesPeriodicBookmarkAtLatestRevision()
    {
        await using var h = await StartAsync(o => o.BookmarkInterval = TimeSpan.FromMilliseconds(100));
        await using var w = await h.Registry.WatchAsync(h.Rc, TestKinds.ConfigMaps, "default",
            new WatchOptions { AllowBookmarks = true, ResourceVersion = h.Cache.Revision.ToString() }, Ct);
        var created = await h.CreateConfigMapAsync("a");
        Assert.Equal(WatchEventType.Added, (await Next(w)).Type);
        WatchEvent ev;
        do ev = await Next(w); while (ev.Type == WatchEventType.Bookmark && ev.Revision < created.Object.Revision);
        Assert.Equal(WatchEventType.Bookmark, ev.Type);
        Assert.False(ev.InitialEventsEnd);
    }

    [Fact]
    public async Task Watch_Timeout_EndsTheStream()
    {
        await using var h = await StartAsync();
        await using var w = await h.Registry.WatchAsync(h.Rc, TestKinds.ConfigMaps, "default",
            new WatchOptions { ResourceVersion = h.Cache.Revision.ToString(), Timeout = TimeSpan.FromMilliseconds(200) }, Ct);
        using var cts = new CancellationTokenSource(3000);
        Assert.False(await w.Events.WaitToReadAsync(cts.Token));
    }

    [Fact]
    public async Task Watch_SlowWatcherIsClosed_OthersKeepReceiving()
    {
        await using var h = await StartAsync(o => o.WatcherBuffer = 5);
        var rv = h.Cache.Revision.ToString();
        await using var slow = await h.Registry.WatchAsync(h.Rc, TestKinds.ConfigMaps, "default", new WatchOptions { ResourceVersion = rv }, Ct);
        await using var fast = await h.Registry.WatchAsync(h.Rc, TestKinds.ConfigMaps, "default", new WatchOptions { ResourceVersion = rv }, Ct);
        var received = 0;
        var reader = Task.Run(async () =>
        {
            while (received < 20) { await Next(fast); received++; }
        });
        for (var i = 0; i < 20; i++) await h.CreateConfigMapAsync($"cm-{i}");
        await reader;
        Assert.Equal(20, received);
        var drained = 0;
        while (slow.Events.TryRead(out _)) drained++;
        Assert.True(drained <= 5);
        using var cts = new CancellationTokenSource(2000);
        Assert.False(await slow.Events.WaitToReadAsync(cts.Token)); // closed: the client must resume
    }

    [Fact]
    public async Task Watch_FutureResourceVersion_Returns504()
    {
        await using var h = await StartAsync(o => o.WaitTimeout = TimeSpan.FromMilliseconds(200));
        var e = await Assert.ThrowsAsync<ApiError>(() =>
            h.Registry.WatchAsync(h.Rc, TestKinds.ConfigMaps, "default", new WatchOptions { ResourceVersion = "99999999" }, Ct));
        Assert.Equal(504, e.Code);
    }

    [Fact]
    public async Task Watch_WatchListWithoutResourceVersion_AsKubectlWaitSendsIt_StartsFromCurrentState()
    {
        await using var h = await StartAsync();
        await h.CreatePodAsync("web");
        await using var w = await h.Registry.WatchAsync(h.Rc, TestKinds.Pods, "default", new WatchOptions
        {
            SendInitialEvents = true,
            AllowBookmarks = true,
            ResourceVersionMatch = "NotOlderThan",
            FieldSelector = "metadata.name=web",
            Timeout = TimeSpan.FromSeconds(539),
        }, Ct);
        Assert.Equal(WatchEventType.Added, (await Next(w)).Type);
        Assert.True((await Next(w)).InitialEventsEnd);
    }

    [Theory]
    [InlineData(null, true, "sendInitialEvents")]
    [InlineData("Exact", true, "sendInitialEvents")]
    [InlineData("NotOlderThan", false, "allowWatchBookmarks")]
    public async Task Watch_SendInitialEventsWithoutNotOlderThanAndBookmarks_Returns422(string? match, bool bookmarks, string field)
    {
        await using var h = await StartAsync();
        var e = await Assert.ThrowsAsync<ApiError>(() => h.Registry.WatchAsync(h.Rc, TestKinds.Pods, "default", new WatchOptions
        {
            SendInitialEvents = true,
            AllowBookmarks = bookmarks,
            ResourceVersionMatch = match,
            ResourceVersion = match is null ? null : "1",
        }, Ct));
        Assert.Equal(422, e.Code);
        Assert.Contains(e.Causes, c => c.Field == field);
    }
}
