using System.Text;
using K8sHost.Registry.Cache;
using K8sHost.Storage.Tests.Conformance;
using K8sHost.Storage.Tests.Sqlite;
using Xunit;

namespace K8sHost.Storage.Tests.ThroughCache;

/// <summary>What <see cref="CacheBackedStore"/> adds over the plain suite: the cache's own window, consistency and lineage.</summary>
public sealed class CacheBackedStoreTests : IDisposable
{
    private const string Ns = "k8s/org/proj/configmaps/default/";
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private static byte[] ConfigMap(string name, string data) => Encoding.UTF8.GetBytes(
        $$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}","namespace":"default"},"data":{"k":"{{{data}}}"}}""");

    [Fact]
    public async Task ListOrWatch_OlderThanTheCacheRing_ReturnsCompacted_ThoughTheStoreStillHasIt()
    {
        var options = ThroughCacheConformanceTests.CacheOptions();
        options.MaxEvents = 3;
        await using var store = await ThroughCacheConformanceTests.StartCacheAsync(await _database.OpenAsync(), options);
        var first = (await store.CreateAsync(Ns + "a", ConfigMap("a", "1"))).Value;
        var current = first;
        for (var i = 2; i <= 6; i++) current = (await store.UpdateAsync(Ns + "a", ConfigMap("a", $"{i}"), current)).Value;

        Assert.Equal(StoreStatus.Compacted, (await store.ListAsync(Ns, null, 0, first)).Status);
        var compacted = Assert.Single(await WatchCollector.TakeChangesAsync(store, Ns, first, 1));
        Assert.Equal(StoreEventType.Compacted, compacted.Type);
        Assert.True(await store.GetCompactedRevisionAsync() > first);
        // The ring's newest events still serve an older revision and a resume.
        Assert.Equal(StoreStatus.Ok, (await store.ListAsync(Ns, null, 0, current - 1)).Status);
        Assert.Equal([current], (await WatchCollector.TakeChangesAsync(store, Ns, current - 1, 1)).Select(e => e.Revision));
    }

    [Fact]
    public async Task Get_AfterAWriteMadeDirectlyToTheBackend_SeesIt_EvenWhenTheFeedLags()
    {
        var backend = await _database.OpenAsync();
        await using var store = await ThroughCacheConformanceTests.StartCacheAsync(new LaggingFeedStore(backend, TimeSpan.FromMilliseconds(150)));

        for (var i = 0; i < 3; i++)
        {
            var written = await backend.CreateAsync(Ns + $"direct{i}", ConfigMap($"direct{i}", "v"));
            var got = await store.GetAsync(Ns + $"direct{i}");
            Assert.Equal(StoreStatus.Ok, got.Status);
            Assert.Equal(written.Value, got.Value!.ModRevision);
        }
    }

    [Fact]
    public async Task Write_ReturnsOnlyOnceTheCacheHoldsIt_EvenWhenTheFeedLags()
    {
        var options = ThroughCacheConformanceTests.CacheOptions();
        var backend = new LaggingFeedStore(await _database.OpenAsync(), TimeSpan.FromMilliseconds(150));
        var cache = new WatchCache(backend, TestCatalog.ConfigMapsOnly(), options, Microsoft.Extensions.Logging.Abstractions.NullLogger<WatchCache>.Instance);
        await cache.StartAsync(CancellationToken.None);
        await using var store = await CacheBackedStore.CreateAsync(backend, cache);

        for (var i = 0; i < 3; i++)
        {
            var revision = (await store.CreateAsync(Ns + $"w{i}", ConfigMap($"w{i}", "v"))).Value;
            Assert.Equal(revision, cache.TryGet(Ns + $"w{i}")?.Revision);
        }
    }

    [Fact]
    public async Task Values_ComeBackAsStored_WithoutTheResourceVersionTheCacheStamps()
    {
        await using var store = await ThroughCacheConformanceTests.StartCacheAsync(await _database.OpenAsync());
        var value = ConfigMap("a", "x");

        var revision = (await store.CreateAsync(Ns + "a", value)).Value;

        Assert.Equal(value, (await store.GetAsync(Ns + "a")).Value!.Value);
        Assert.Equal(value, Assert.Single((await store.ListAsync(Ns, null, 0)).Value!.Items).Value);
        Assert.Equal(value, Assert.Single(await WatchCollector.TakeChangesAsync(store, Ns, revision - 1, 1)).Value);
    }

    [Fact]
    public async Task CreateRevision_OfObjectsTheCacheLoadedAtStartup_ComesFromTheStore_ThroughUpdatesAndDelete()
    {
        var backend = await _database.OpenAsync();
        var created = (await backend.CreateAsync(Ns + "old", ConfigMap("old", "1"))).Value;
        await using var store = await ThroughCacheConformanceTests.StartCacheAsync(backend);

        Assert.Equal(created, (await store.GetAsync(Ns + "old")).Value!.CreateRevision);
        var updated = (await store.UpdateAsync(Ns + "old", ConfigMap("old", "2"), created)).Value;
        var deleted = (await store.DeleteAsync(Ns + "old", 0)).Value;

        var events = await WatchCollector.TakeChangesAsync(store, Ns, created, 2);
        Assert.Equal([(StoreEventType.Put, updated, created), (StoreEventType.Delete, deleted, created)],
            events.Select(e => (e.Type, e.Revision, e.CreateRevision)));
    }

    [Fact]
    public async Task ConsistentReads_TakeTheRegistrysPath_ConcurrentReadersShareTheStoresRevisionRoundTrips()
    {
        // The registry serves consistent reads through WatchCache.CatchUpAsync, whose readers share "current revision"
        // round trips. The adapter must take that very path, or the suite run through it tests something else.
        var backend = new SlowRevisionStore(await _database.OpenAsync(), TimeSpan.FromMilliseconds(200));
        await using var store = await ThroughCacheConformanceTests.StartCacheAsync(backend);
        var created = (await store.CreateAsync(Ns + "a", ConfigMap("a", "1"))).Value;
        var before = backend.RevisionCalls;

        var reads = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => store.GetAsync(Ns + "a")));

        Assert.All(reads, r => Assert.Equal(created, r.Value!.ModRevision));
        Assert.True(backend.RevisionCalls - before <= 3, $"20 concurrent reads sent {backend.RevisionCalls - before} revision round trips");
    }
}
