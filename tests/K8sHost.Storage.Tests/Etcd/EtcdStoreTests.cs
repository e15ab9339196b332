using K8sHost.Storage.Etcd;
using Xunit;
using static K8sHost.Storage.Tests.Etcd.EtcdTestHelpers;

namespace K8sHost.Storage.Tests.Etcd;

/// <summary>EtcdStore against a real single-member etcd: CRUD/CAS, pagination, watch, compaction.</summary>
public sealed class EtcdStoreTests(EtcdFixture fixture) : IClassFixture<EtcdFixture>, IAsyncLifetime
{
    private EtcdStore _store = null!;

    public Task InitializeAsync()
    {
        _store = fixture.CreateStore();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task Create_ThenGet_ReturnsValueWithEtcdRevisionAsModRevision()
    {
        var key = UniquePrefix() + "a";
        var created = await _store.CreateAsync(key, Bytes("v1"));
        var got = await _store.GetAsync(key);

        Assert.Equal(StoreStatus.Ok, created.Status);
        Assert.Equal(StoreStatus.Ok, got.Status);
        Assert.Equal("v1", Text(got.Value!.Value));
        Assert.Equal(created.Value, got.Value.ModRevision);
        Assert.Equal(created.Value, got.Value.CreateRevision);
        Assert.Equal(created.Value, await _store.GetCurrentRevisionAsync());
    }

    [Fact]
    public async Task Create_ExistingKey_ReturnsKeyExistsWithCurrentValue()
    {
        var key = UniquePrefix() + "a";
        var first = await _store.CreateAsync(key, Bytes("v1"));
        var second = await _store.CreateAsync(key, Bytes("v2"));

        Assert.Equal(StoreStatus.KeyExists, second.Status);
        Assert.Equal("v1", Text(second.Current!.Value));
        Assert.Equal(first.Value, second.Current.ModRevision);
    }

    [Fact]
    public async Task Get_MissingKey_ReturnsNotFound()
    {
        Assert.Equal(StoreStatus.NotFound, (await _store.GetAsync(UniquePrefix() + "missing")).Status);
    }

    [Fact]
    public async Task Update_WithCurrentModRevision_ReplacesValueAndReturnsNewRevision()
    {
        var key = UniquePrefix() + "a";
        var created = await _store.CreateAsync(key, Bytes("v1"));
        var updated = await _store.UpdateAsync(key, Bytes("v2"), created.Value);
        var got = await _store.GetAsync(key);

        Assert.Equal(StoreStatus.Ok, updated.Status);
        Assert.True(updated.Value > created.Value);
        Assert.Equal(updated.Value, got.Value!.ModRevision);
        Assert.Equal(created.Value, got.Value.CreateRevision);
        Assert.Equal("v2", Text(got.Value.Value));
    }

    [Fact]
    public async Task Update_WithStaleModRevision_ReturnsConflictWithCurrentValue()
    {
        var key = UniquePrefix() + "a";
        var created = await _store.CreateAsync(key, Bytes("v1"));
        var updated = await _store.UpdateAsync(key, Bytes("v2"), created.Value);
        var stale = await _store.UpdateAsync(key, Bytes("v3"), created.Value);

        Assert.Equal(StoreStatus.Conflict, stale.Status);
        Assert.Equal("v2", Text(stale.Current!.Value));
        Assert.Equal(updated.Value, stale.Current.ModRevision);
    }

    [Fact]
    public async Task Update_MissingKey_ReturnsNotFoundAndDoesNotCreateIt()
    {
        var key = UniquePrefix() + "a";
        var result = await _store.UpdateAsync(key, Bytes("v"), 0);

        Assert.Equal(StoreStatus.NotFound, result.Status);
        Assert.Equal(StoreStatus.NotFound, (await _store.GetAsync(key)).Status);
    }

    [Fact]
    public async Task Delete_WithStaleModRevision_ReturnsConflictAndKeepsKey()
    {
        var key = UniquePrefix() + "a";
        var created = await _store.CreateAsync(key, Bytes("v1"));
        await _store.UpdateAsync(key, Bytes("v2"), created.Value);

        var deleted = await _store.DeleteAsync(key, created.Value);

        Assert.Equal(StoreStatus.Conflict, deleted.Status);
        Assert.Equal("v2", Text(deleted.Current!.Value));
        Assert.Equal(StoreStatus.Ok, (await _store.GetAsync(key)).Status);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Delete_ReturnsDeletedValueAndTheDeleteRevision(bool conditional)
    {
        var key = UniquePrefix() + "a";
        var created = await _store.CreateAsync(key, Bytes("v1"));

        var deleted = await _store.DeleteAsync(key, conditional ? created.Value : 0);

        Assert.Equal(StoreStatus.Ok, deleted.Status);
        Assert.Equal("v1", Text(deleted.Current!.Value));
        Assert.Equal(await _store.GetCurrentRevisionAsync(), deleted.Value);
        Assert.True(deleted.Value > created.Value);
        Assert.Equal(StoreStatus.NotFound, (await _store.GetAsync(key)).Status);
        Assert.Equal(StoreStatus.NotFound, (await _store.DeleteAsync(key, 0)).Status);
    }

    [Fact]
    public async Task List_PagesAtAFixedRevision_DoNotSeeLaterWrites()
    {
        var prefix = UniquePrefix();
        foreach (var name in new[] { "c", "a", "e", "b", "d" })
        {
            await _store.CreateAsync(prefix + name, Bytes(name));
        }

        var first = await _store.ListAsync(prefix, null, 2);
        await _store.CreateAsync(prefix + "bb", Bytes("late"));
        await _store.DeleteAsync(prefix + "e", 0);
        var second = await _store.ListAsync(prefix, first.Value!.Items[^1].Key, 2, first.Value.Revision);
        var third = await _store.ListAsync(prefix, second.Value!.Items[^1].Key, 2, first.Value.Revision);

        Assert.Equal(["a", "b"], first.Value.Items.Select(i => Text(i.Value)));
        Assert.True(first.Value.More);
        Assert.Equal(["c", "d"], second.Value.Items.Select(i => Text(i.Value)));
        Assert.True(second.Value.More);
        Assert.Equal(["e"], third.Value!.Items.Select(i => Text(i.Value)));
        Assert.False(third.Value.More);
        Assert.Equal(first.Value.Revision, third.Value.Revision);
        var past = await _store.ListAsync(prefix, prefix + "\uffff", 2, first.Value.Revision);
        Assert.Empty(past.Value!.Items);
        var before = await _store.ListAsync(prefix, "/", 1, first.Value.Revision);
        Assert.Equal(["a"], before.Value!.Items.Select(i => Text(i.Value)));
    }

    [Fact]
    public async Task List_WithoutLimit_ReturnsEveryKeyAcrossScanBatches_AndOnlyUnderThePrefix()
    {
        var prefix = UniquePrefix();
        var names = Enumerable.Range(0, 8).Select(i => $"k{i}").ToList();
        foreach (var name in names)
        {
            await _store.CreateAsync(prefix + name, Bytes(name));
        }

        // Neighbours that share the prefix's text but are not under it.
        await _store.CreateAsync(prefix.TrimEnd('/'), Bytes("parent"));
        await _store.CreateAsync(prefix.TrimEnd('/') + "0", Bytes("sibling"));

        var all = await _store.ListAsync(prefix, null, 0);

        Assert.Equal(names, all.Value!.Items.Select(i => Text(i.Value)));
        Assert.False(all.Value.More);
        Assert.Equal(await _store.GetCurrentRevisionAsync(), all.Value.Revision);
    }

    [Fact]
    public async Task List_AtACompactedRevision_ReturnsCompacted()
    {
        var prefix = UniquePrefix();
        var old = (await _store.CreateAsync(prefix + "a", Bytes("1"))).Value;
        var newer = (await _store.CreateAsync(prefix + "b", Bytes("2"))).Value;
        await _store.CompactAsync(newer);

        Assert.Equal(StoreStatus.Compacted, (await _store.ListAsync(prefix, null, 10, old)).Status);
        Assert.Equal(StoreStatus.Ok, (await _store.ListAsync(prefix, null, 10, newer)).Status);
    }

    [Fact]
    public async Task Watch_FromARevision_DeliversEveryLaterChangeInOrder()
    {
        var prefix = UniquePrefix();
        var start = await _store.GetCurrentRevisionAsync();
        var created = (await _store.CreateAsync(prefix + "a", Bytes("1"))).Value;
        var updated = (await _store.UpdateAsync(prefix + "a", Bytes("2"), created)).Value;
        var deleted = (await _store.DeleteAsync(prefix + "a", 0)).Value;
        await _store.CreateAsync(UniquePrefix() + "other", Bytes("not watched"));

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var feed = _store.WatchAsync(prefix, start, cts.Token).GetAsyncEnumerator(cts.Token);
        var events = await CollectAsync(feed, 3, TimeSpan.FromSeconds(10));

        Assert.Equal([StoreEventType.Put, StoreEventType.Put, StoreEventType.Delete], events.Select(e => e.Type));
        Assert.Equal([created, updated, deleted], events.Select(e => e.Revision));
        Assert.Equal(created, events[0].CreateRevision);
        Assert.Equal(created, events[1].CreateRevision);
        Assert.Equal("2", Text(events[1].Value));
        Assert.All(events, e => Assert.Equal(prefix + "a", e.Key));
    }

    [Fact]
    public async Task Watch_WhenIdle_SendsProgressAtTheCurrentRevision()
    {
        var prefix = UniquePrefix();
        var created = (await _store.CreateAsync(prefix + "a", Bytes("1"))).Value;

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await foreach (var change in _store.WatchAsync(prefix, created, cts.Token))
        {
            if (change.Type == StoreEventType.Progress)
            {
                Assert.True(change.Revision >= created);
                return;
            }
        }

        Assert.Fail("no progress event");
    }

    [Fact]
    public async Task Watch_FromACompactedRevision_YieldsOneCompactedEventAndEnds()
    {
        var prefix = UniquePrefix();
        var old = (await _store.CreateAsync(prefix + "a", Bytes("1"))).Value;
        await _store.CreateAsync(prefix + "b", Bytes("2"));
        await _store.CreateAsync(prefix + "c", Bytes("3"));
        var compactTo = await _store.GetCurrentRevisionAsync();
        await _store.CompactAsync(compactTo);

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var events = new List<StoreEvent>();
        await foreach (var change in _store.WatchAsync(prefix, old - 1, cts.Token))
        {
            events.Add(change);
        }

        var only = Assert.Single(events);
        Assert.Equal(StoreEventType.Compacted, only.Type);
        Assert.True(only.Revision >= compactTo);
    }

    [Fact]
    public async Task GetCompactedRevision_FindsACompactionMadeByAnotherClient()
    {
        var prefix = UniquePrefix();
        await _store.CreateAsync(prefix + "a", Bytes("1"));
        await using var other = fixture.CreateStore();
        var target = (await other.CreateAsync(prefix + "b", Bytes("2"))).Value;
        await other.CompactAsync(target);
        await _store.CreateAsync(prefix + "c", Bytes("3"));

        Assert.Equal(target, await _store.GetCompactedRevisionAsync());
        Assert.Equal(target, await other.GetCompactedRevisionAsync());
    }

    [Fact]
    public async Task Dispose_EndsOpenWatchesWithoutAnError()
    {
        var store = fixture.CreateStore();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var from = await store.GetCurrentRevisionAsync();
        var watching = Task.Run(async () =>
        {
            var count = 0;
            await foreach (var change in store.WatchAsync(UniquePrefix(), from, cts.Token))
            {
                count++;
            }

            return count;
        });
        await Task.Delay(300);

        await store.DisposeAsync();

        var finished = await Task.WhenAny(watching, Task.Delay(TimeSpan.FromSeconds(5)));
        Assert.Same(watching, finished);
        Assert.False(cts.IsCancellationRequested);
        await watching;
    }

    [Fact]
    public async Task Driver_OpensAStoreFromAnEtcdUrl()
    {
        await using var store = await new EtcdStoreDriver().OpenAsync(fixture.Url, new StoreOptions());

        Assert.Equal("etcd", store.Name);
        Assert.True(await store.GetCurrentRevisionAsync() > 0);
    }
}
