using Xunit;
using static K8sHost.Storage.Tests.FlareDb.FlareDbTestCluster;

namespace K8sHost.Storage.Tests.FlareDb;

/// <summary>Client routing against the protocol test server: regions, leaders, epochs, pagination.</summary>
public sealed class FlareDbRoutingTests : IAsyncLifetime
{
    private const string Pods = "k8s/org/proj/pods/";
    private FlareDbTestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await StartAsync(Pods + "default/m", Pods + "default/t");

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task List_AcrossThreeRegionsOnTwoStores_ReturnsEveryKeyInOrder()
    {
        var store = await _cluster.OpenAsync();
        var names = new[] { "a", "k", "m", "n", "s", "t", "z" };
        foreach (var name in names.Reverse())
        {
            Assert.True((await store.CreateAsync(Pods + "default/" + name, B(name))).IsOk);
        }

        var list = await store.ListAsync(Pods + "default/", null, 0);

        Assert.Equal(names.Select(n => Pods + "default/" + n), list.Value!.Items.Select(i => i.Key));
        Assert.Equal(names, list.Value.Items.Select(i => S(i.Value)));
        Assert.True(_cluster.State.ServedByStore.GetValueOrDefault(1UL) > 0);
        Assert.True(_cluster.State.ServedByStore.GetValueOrDefault(2UL) > 0);
    }

    [Fact]
    public async Task List_OnAFreshClient_LearnsTheRegionsOfTheRangeWithOneScanRegionsCall()
    {
        var writer = await _cluster.OpenAsync();
        foreach (var name in new[] { "a", "n", "z" })
        {
            await writer.CreateAsync(Pods + "default/" + name, B(name));
        }

        var reader = await _cluster.OpenAsync();
        var (regionLookups, regionScans) = (_cluster.Calls("GetRegion"), _cluster.Calls("ScanRegions"));
        var list = await reader.ListAsync(Pods + "default/", null, 0);

        Assert.Equal(3, list.Value!.Items.Count);
        Assert.Equal(regionScans + 1, _cluster.Calls("ScanRegions"));
        Assert.Equal(regionLookups, _cluster.Calls("GetRegion"));
    }

    [Fact]
    public async Task List_WithScanBatchSizeTwo_PagesEveryRpcAtTwoKeysAndStillReturnsAll()
    {
        var store = await _cluster.OpenAsync(scanBatchSize: 2);
        for (var i = 0; i < 9; i++)
        {
            await store.CreateAsync($"{Pods}default/k{i}", B($"{i}"));
        }

        while (_cluster.State.ScanLimits.TryDequeue(out _))
        {
        }

        var all = await store.ListAsync(Pods + "default/", null, 0);
        var limited = await store.ListAsync(Pods + "default/", null, 3);

        Assert.Equal(9, all.Value!.Items.Count);
        Assert.False(all.Value.More);
        Assert.Equal(["k0", "k1", "k2"], limited.Value!.Items.Select(i => i.Key[(Pods.Length + 8)..]));
        Assert.True(limited.Value.More);
        var limits = _cluster.State.ScanLimits.ToArray();
        Assert.All(limits, l => Assert.InRange(l, 1u, 2u));
        Assert.True(limits.Length >= 5, $"9 keys at 2 per RPC need at least 5 scans, saw {limits.Length}");
    }

    [Fact]
    public async Task Watch_FromFarBehind_ReadsTheLogOneBatchAtATime_AndMissesNothing()
    {
        var store = await _cluster.OpenAsync(scanBatchSize: 2);
        var start = await store.GetCurrentRevisionAsync();
        var written = new List<long>();
        for (var i = 0; i < 7; i++)
        {
            written.Add((await store.CreateAsync($"{Pods}default/w{i}", B($"{i}"))).Value);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var seen = new List<long>();
        await foreach (var e in store.WatchAsync(Pods, start, timeout.Token))
        {
            Assert.NotEqual(StoreEventType.Compacted, e.Type);
            if (e.Type == StoreEventType.Put)
            {
                seen.Add(e.Revision);
            }

            if (seen.Count == written.Count)
            {
                break;
            }
        }

        Assert.Equal(written, seen);
    }

    [Fact]
    public async Task List_OfAPrefix_NeverReturnsASiblingWithALongerName()
    {
        await using var cluster = await StartAsync(Pods + "ab");
        var store = await cluster.OpenAsync(scanBatchSize: 2);
        await store.CreateAsync(Pods + "a/one", B("1"));
        await store.CreateAsync(Pods + "ab/two", B("2"));
        await store.CreateAsync(Pods + "a", B("bare"));

        var a = await store.ListAsync(Pods + "a/", null, 0);
        var ab = await store.ListAsync(Pods + "ab/", null, 0);

        Assert.Equal([Pods + "a/one"], a.Value!.Items.Select(i => i.Key));
        Assert.Equal([Pods + "ab/two"], ab.Value!.Items.Select(i => i.Key));
    }

    [Fact]
    public async Task Get_AfterLeaderMovedToAnotherStore_FollowsTheNotLeaderHint()
    {
        var store = await _cluster.OpenAsync();
        var key = Pods + "default/a";
        await store.CreateAsync(key, B("v"));
        var regionLookups = _cluster.Calls("GetRegion");

        _cluster.State.TransferLeader(B(key));
        var got = await store.GetAsync(key);

        Assert.Equal("v", S(got.Value!.Value));
        Assert.True(_cluster.State.RegionErrors.GetValueOrDefault("NotLeader") >= 1);
        Assert.Equal(regionLookups, _cluster.Calls("GetRegion")); // the hint was enough; PD was not asked again
    }

    [Fact]
    public async Task Write_WhenStoresAnswerNotLeaderSeveralTimes_RetriesAndSucceeds()
    {
        var store = await _cluster.OpenAsync();
        _cluster.State.Faults.NotLeaderNext(3);

        var created = await store.CreateAsync(Pods + "default/x", B("v"));

        Assert.True(created.IsOk);
        Assert.Equal(3, _cluster.State.RegionErrors.GetValueOrDefault("NotLeader"));
    }

    [Fact]
    public async Task Get_DuringALeaderElection_BacksOffAndAsksPdAgain()
    {
        var store = await _cluster.OpenAsync();
        var key = Pods + "default/e";
        await store.CreateAsync(key, B("v"));
        var lookups = _cluster.Calls("GetRegion");
        _cluster.State.Faults.LeaderlessNext(2);

        var got = await store.GetAsync(key);

        Assert.Equal("v", S(got.Value!.Value));
        Assert.Equal(lookups + 2, _cluster.Calls("GetRegion"));
    }

    [Fact]
    public async Task ReadAndWrite_AfterRegionSplit_RefreshRouteOnEpochNotMatch()
    {
        var store = await _cluster.OpenAsync(scanBatchSize: 2);
        await store.CreateAsync(Pods + "default/c", B("c"));
        await store.CreateAsync(Pods + "default/g", B("g"));
        var lookups = _cluster.Calls("GetRegion");

        _cluster.State.Split(B(Pods + "default/e"));
        var updated = await store.UpdateAsync(Pods + "default/c", B("c2"), (await store.GetAsync(Pods + "default/c")).Value!.ModRevision);
        var list = await store.ListAsync(Pods + "default/", null, 0);

        Assert.True(updated.IsOk);
        Assert.Equal(["c2", "g"], list.Value!.Items.Select(i => S(i.Value)));
        Assert.True(_cluster.State.RegionErrors.GetValueOrDefault("EpochNotMatch") >= 1);
        Assert.True(_cluster.Calls("GetRegion") > lookups);
    }

    [Fact]
    public async Task Get_AfterRegionWasRecreated_RefreshesRouteOnRegionNotFound()
    {
        var store = await _cluster.OpenAsync();
        var key = Pods + "default/b";
        await store.CreateAsync(key, B("v"));

        _cluster.State.Renumber(B(key));
        var got = await store.GetAsync(key);

        Assert.Equal("v", S(got.Value!.Value));
        Assert.True(_cluster.State.RegionErrors.GetValueOrDefault("RegionNotFound") >= 1);
    }

    [Fact]
    public async Task Calls_WhenServerIsBusyOrCallsAreDropped_AreRetriedTransparently()
    {
        var store = await _cluster.OpenAsync();
        _cluster.State.Faults.ServerBusyNext(2);
        var created = await store.CreateAsync(Pods + "default/busy", B("v"));
        _cluster.State.Faults.DropNext(2);
        var got = await store.GetAsync(Pods + "default/busy");

        Assert.True(created.IsOk);
        Assert.Equal("v", S(got.Value!.Value));
        Assert.Equal(2, _cluster.State.RegionErrors.GetValueOrDefault("ServerIsBusy"));
    }

    [Fact]
    public async Task DataKeys_AreStoredUnderExactlyTheApiServerKey_AndBookkeepingUnderAnotherPrefix()
    {
        var store = await _cluster.OpenAsync();
        var key = Pods + "default/exact";
        await store.CreateAsync(key, B("v"));

        var rawKeys = _cluster.State.Engine.Scan([], [], int.MaxValue).Select(p => p.Key).ToList();

        Assert.Contains(rawKeys, k => S(k) == key);
        Assert.All(rawKeys.Where(k => !S(k).StartsWith("k8s/", StringComparison.Ordinal)), k => Assert.Equal(0, k[0]));
    }
}
