using Xunit;

namespace K8sHost.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task Create_ThenGet_ReturnsValueWithCreateAndModRevisionOfTheWrite()
    {
        var revision = await MustCreateAsync(K("a"), "one");

        var got = await Store.GetAsync(K("a"));

        Assert.Equal(StoreStatus.Ok, got.Status);
        Assert.Equal(K("a"), got.Value!.Key);
        Assert.Equal("one", S(got.Value.Value));
        Assert.Equal(revision, got.Value.CreateRevision);
        Assert.Equal(revision, got.Value.ModRevision);
        Assert.True(await Store.GetCurrentRevisionAsync() >= revision);
    }

    [Fact]
    public async Task Get_MissingKey_ReturnsNotFound()
    {
        var got = await Store.GetAsync(K("missing"));

        Assert.Equal(StoreStatus.NotFound, got.Status);
        Assert.Null(got.Value);
    }

    [Fact]
    public async Task Create_ExistingKey_ReturnsKeyExistsWithCurrentValue()
    {
        var revision = await MustCreateAsync(K("a"), "first");

        var again = await Store.CreateAsync(K("a"), B("second"));

        Assert.Equal(StoreStatus.KeyExists, again.Status);
        Assert.Equal("first", S(again.Current!.Value));
        Assert.Equal(revision, again.Current.ModRevision);
        Assert.Equal("first", S((await Store.GetAsync(K("a"))).Value!.Value));
    }

    [Fact]
    public async Task Update_WithCurrentModRevision_ReplacesValueAndKeepsCreateRevision()
    {
        var created = await MustCreateAsync(K("a"), "v1");

        var updated = await MustUpdateAsync(K("a"), "v2", created);

        Assert.True(updated > created);
        var got = (await Store.GetAsync(K("a"))).Value!;
        Assert.Equal("v2", S(got.Value));
        Assert.Equal(created, got.CreateRevision);
        Assert.Equal(updated, got.ModRevision);
    }

    [Fact]
    public async Task Update_WithStaleModRevision_ReturnsConflictWithCurrentValue()
    {
        var created = await MustCreateAsync(K("a"), "v1");
        var updated = await MustUpdateAsync(K("a"), "v2", created);

        var stale = await Store.UpdateAsync(K("a"), B("v3"), created);

        Assert.Equal(StoreStatus.Conflict, stale.Status);
        Assert.Equal("v2", S(stale.Current!.Value));
        Assert.Equal(updated, stale.Current.ModRevision);
        Assert.Equal(created, stale.Current.CreateRevision);
        Assert.Equal("v2", S((await Store.GetAsync(K("a"))).Value!.Value));
    }

    [Fact]
    public async Task Update_MissingKey_ReturnsNotFound()
    {
        var result = await Store.UpdateAsync(K("missing"), B("x"), 1);

        Assert.Equal(StoreStatus.NotFound, result.Status);
        Assert.Equal(StoreStatus.NotFound, (await Store.GetAsync(K("missing"))).Status);
    }

    [Fact]
    public async Task Delete_Unconditionally_RemovesKeyAndReturnsDeletedValue()
    {
        var created = await MustCreateAsync(K("a"), "gone");

        var deleted = await Store.DeleteAsync(K("a"), 0);

        Assert.Equal(StoreStatus.Ok, deleted.Status);
        Assert.True(deleted.Value > created);
        Assert.Equal("gone", S(deleted.Current!.Value));
        Assert.Equal(created, deleted.Current.ModRevision);
        Assert.Equal(StoreStatus.NotFound, (await Store.GetAsync(K("a"))).Status);
        Assert.Empty(await ListAllAsync(Prefix));
    }

    [Fact]
    public async Task Delete_WithStaleModRevision_ReturnsConflictAndKeepsKey()
    {
        var created = await MustCreateAsync(K("a"), "v1");
        var updated = await MustUpdateAsync(K("a"), "v2", created);

        var stale = await Store.DeleteAsync(K("a"), created);

        Assert.Equal(StoreStatus.Conflict, stale.Status);
        Assert.Equal(updated, stale.Current!.ModRevision);
        Assert.Equal(StoreStatus.Ok, (await Store.GetAsync(K("a"))).Status);
    }

    [Fact]
    public async Task Delete_WithMatchingModRevision_RemovesKey()
    {
        var created = await MustCreateAsync(K("a"), "v1");

        var deleted = await Store.DeleteAsync(K("a"), created);

        Assert.Equal(StoreStatus.Ok, deleted.Status);
        Assert.Equal(StoreStatus.NotFound, (await Store.GetAsync(K("a"))).Status);
    }

    [Fact]
    public async Task Delete_MissingKey_ReturnsNotFound()
    {
        Assert.Equal(StoreStatus.NotFound, (await Store.DeleteAsync(K("missing"), 0)).Status);
        await MustCreateAsync(K("a"), "x");
        await MustDeleteAsync(K("a"));
        Assert.Equal(StoreStatus.NotFound, (await Store.DeleteAsync(K("a"), 0)).Status);
    }

    [Fact]
    public async Task Create_AfterDelete_StartsANewLifeWithNewCreateRevision()
    {
        var first = await MustCreateAsync(K("a"), "first life");
        await MustDeleteAsync(K("a"));

        var second = await MustCreateAsync(K("a"), "second life");

        Assert.True(second > first);
        var got = (await Store.GetAsync(K("a"))).Value!;
        Assert.Equal(second, got.CreateRevision);
        Assert.Equal("second life", S(got.Value));
        // A writer holding the first life's revision must not overwrite the second life.
        Assert.Equal(StoreStatus.Conflict, (await Store.UpdateAsync(K("a"), B("x"), first)).Status);
    }

    [Fact]
    public async Task Writes_ReturnStrictlyIncreasingRevisions_AndCurrentRevisionFollows()
    {
        var revisions = new List<long>();
        for (var i = 0; i < 10; i++)
        {
            revisions.Add(await MustCreateAsync(K($"k{i}"), "v"));
        }

        revisions.Add(await MustUpdateAsync(K("k0"), "v2", revisions[0]));
        revisions.Add(await MustDeleteAsync(K("k1")));

        for (var i = 1; i < revisions.Count; i++)
        {
            Assert.True(revisions[i] > revisions[i - 1], $"revision {revisions[i]} after {revisions[i - 1]}");
        }

        Assert.True(await Store.GetCurrentRevisionAsync() >= revisions[^1]);
    }

    [Fact]
    public async Task Create_EmptyValue_RoundTripsAsEmpty()
    {
        await MustCreateAsync(K("empty"), "");

        var got = await Store.GetAsync(K("empty"));

        Assert.Equal(StoreStatus.Ok, got.Status);
        Assert.Empty(got.Value!.Value);
    }

    [Fact]
    public async Task LargeValue_RoundTripsByteExactThroughGetListAndWatch()
    {
        var value = new byte[LargeValueBytes];
        new Random(42).NextBytes(value);
        var start = await Store.GetCurrentRevisionAsync();

        var created = await Store.CreateAsync(K("big"), value);

        Assert.Equal(StoreStatus.Ok, created.Status);
        Assert.Equal(value, (await Store.GetAsync(K("big"))).Value!.Value);
        Assert.Equal(value, Assert.Single(await ListAllAsync(Prefix)).Value);
        var watched = Assert.Single(await WatchCollector.TakeChangesAsync(Store, Prefix, start, 1));
        Assert.Equal(value, watched.Value);
    }
}
