using System.Runtime.CompilerServices;
using K8sHost.Registry.Cache;
using K8sHost.Registry.Contracts;
using K8sHost.Storage;
using K8sHost.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;
using static K8sHost.UnitTests.Registry.RegistryHarness;

namespace K8sHost.UnitTests.Registry;

public sealed class WatchCacheCompactionTests
{
    /// <summary>
    /// The real SQLite store, except that the first change feed it opens reports "compacted" (what a cache sees when
    /// it fell behind the store's compaction), which is otherwise a race too rare to provoke on purpose.
    /// </summary>
    private sealed class FirstFeedCompactedStore(SqliteStore inner) : DelegatingStore(inner)
    {
        private readonly SqliteStore _inner = inner;
        private int _feeds;

        public override IAsyncEnumerable<StoreEvent> WatchAsync(string prefix, long afterRevision, CancellationToken ct = default) =>
            Feed(prefix, afterRevision, ct);

        private async IAsyncEnumerable<StoreEvent> Feed(string prefix, long afterRevision, [EnumeratorCancellation] CancellationToken ct)
        {
            if (Interlocked.Increment(ref _feeds) == 1)
            {
                await Task.Delay(300, ct); // let the test write and open a watch first
                yield return StoreEvent.CompactedAt(afterRevision + 1);
                yield break;
            }
            await foreach (var e in _inner.WatchAsync(prefix, afterRevision, ct)) yield return e;
        }
    }

    [Fact]
    public async Task FeedCompacted_CacheRelists_ClosesWatchers_AndKeepsServing()
    {
        await using var h = await StartAsync();
        var wrapped = new FirstFeedCompactedStore(h.Store);
        await using var cache = new WatchCache(wrapped, TestKinds.Catalog(), new WatchCacheOptions(), NullLogger<WatchCache>.Instance);
        await cache.StartAsync(Ct);
        var watch = cache.Watch(new WatchRequest("k8s/", _ => true) { ResumeAfter = cache.Revision });
        var created = await h.CreateConfigMapAsync("after-start");

        using var cts = new CancellationTokenSource(5000);
        while (await watch.Events.WaitToReadAsync(cts.Token)) watch.Events.TryRead(out _); // ends: the watcher was closed
        Assert.True(await cache.WaitForRevisionAsync(created.Object.Revision, TimeSpan.FromSeconds(5), Ct));
        Assert.NotNull(cache.TryGet(created.Object.Key));
        var later = await h.CreateConfigMapAsync("later");
        Assert.True(await cache.WaitForRevisionAsync(later.Object.Revision, TimeSpan.FromSeconds(5), Ct));
        Assert.NotNull(cache.TryGet(later.Object.Key));
    }
}
