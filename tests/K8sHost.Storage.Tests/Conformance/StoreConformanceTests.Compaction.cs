using Xunit;

namespace K8sHost.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task Compact_ThenOldReadsAndWatches_ReturnCompacted_AndCurrentValuesRemain()
    {
        var start = await Store.GetCurrentRevisionAsync();
        var a = await MustCreateAsync(K("a"), "a1");
        var a2 = await MustUpdateAsync(K("a"), "a2", a);
        await MustCreateAsync(K("b"), "b1");
        await MustDeleteAsync(K("b"));
        var keep = await MustCreateAsync(K("c"), "c1");

        await Store.CompactAsync(keep);

        Assert.True(await Store.GetCompactedRevisionAsync() >= keep);
        Assert.Equal(StoreStatus.Compacted, (await Store.ListAsync(Prefix, null, 0, a)).Status);
        var events = await WatchCollector.TakeChangesAsync(Store, Prefix, start, 1);
        var compacted = Assert.Single(events);
        Assert.Equal(StoreEventType.Compacted, compacted.Type);
        Assert.True(compacted.Revision >= keep);

        // The newest values survive, with their original revisions.
        var now = await ListAllAsync(Prefix);
        Assert.Equal([(K("a"), "a2", a, a2), (K("c"), "c1", keep, keep)], now.Select(i => (i.Key, S(i.Value), i.CreateRevision, i.ModRevision)));
        var atKeep = await Store.ListAsync(Prefix, null, 0, keep);
        Assert.Equal(StoreStatus.Ok, atKeep.Status);
        Assert.Equal(2, atKeep.Value!.Items.Count);

        // History from the compacted revision on is still a complete feed.
        var later = await MustUpdateAsync(K("c"), "c2", keep);
        var resumed = await WatchCollector.TakeChangesAsync(Store, Prefix, keep, 1);
        Assert.Equal([(StoreEventType.Put, later)], resumed.Select(e => (e.Type, e.Revision)));
    }

    [Fact]
    public async Task Compact_DoesNotReuseRevisions()
    {
        var a = await MustCreateAsync(K("a"), "v");
        var deleted = await MustDeleteAsync(K("a"));
        await Store.CompactAsync(deleted);

        var next = await MustCreateAsync(K("b"), "v");

        Assert.True(next > deleted);
        Assert.True(deleted > a);
    }
}
