using Xunit;
using static K8sHost.Storage.Tests.FlareDb.FlareDbTestCluster;

namespace K8sHost.Storage.Tests.FlareDb;

/// <summary>Two API server replicas (two clients) sharing one cluster: optimistic concurrency and the shared change log.</summary>
public sealed class FlareDbReplicaTests : IAsyncLifetime
{
    private const string Key = "k8s/org/proj/configmaps/default/shared";
    private FlareDbTestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await StartAsync("k8s/org/proj/configmaps/default/m");

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Update_FromSecondReplicaWithStaleRevision_ReturnsConflictWithTheFirstReplicasValue()
    {
        var one = await _cluster.OpenAsync();
        var two = await _cluster.OpenAsync();
        var created = (await one.CreateAsync(Key, B("v1"))).Value;
        var updated = (await one.UpdateAsync(Key, B("v2"), created)).Value;

        var stale = await two.UpdateAsync(Key, B("v3"), created);

        Assert.Equal(StoreStatus.Conflict, stale.Status);
        Assert.Equal("v2", S(stale.Current!.Value));
        Assert.Equal(updated, stale.Current.ModRevision);
    }

    [Fact]
    public async Task ConcurrentCreates_FromTwoReplicas_ExactlyOneWins_AndRevisionsNeverRepeat()
    {
        var one = await _cluster.OpenAsync();
        var two = await _cluster.OpenAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => (i % 2 == 0 ? one : two).CreateAsync(Key, B($"{i}"))));
        var others = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => (i % 2 == 0 ? one : two).CreateAsync($"{Key}-{i}", B("x"))));

        Assert.Single(results, r => r.IsOk);
        Assert.All(results.Where(r => !r.IsOk), r => Assert.Equal(StoreStatus.KeyExists, r.Status));
        Assert.Equal(12, others.Select(r => r.Value).Distinct().Count());
    }

    [Fact]
    public async Task Watch_OnOneReplica_SeesWritesOfTheOther_InRevisionOrder()
    {
        var writer = await _cluster.OpenAsync();
        var watcher = await _cluster.OpenAsync();
        var start = await watcher.GetCurrentRevisionAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var events = new List<StoreEvent>();
        var watching = Task.Run(async () =>
        {
            await foreach (var e in watcher.WatchAsync("k8s/org/proj/configmaps/", start, timeout.Token))
            {
                if (e.Type != StoreEventType.Progress)
                {
                    events.Add(e);
                }

                if (events.Count == 3)
                {
                    return;
                }
            }
        });

        var created = (await writer.CreateAsync(Key, B("v1"))).Value;
        var updated = (await writer.UpdateAsync(Key, B("v2"), created)).Value;
        var deleted = (await writer.DeleteAsync(Key, 0)).Value;
        await watching.WaitAsync(timeout.Token);

        Assert.Equal(
            [(StoreEventType.Put, created, "v1"), (StoreEventType.Put, updated, "v2"), (StoreEventType.Delete, deleted, "")],
            events.Select(e => (e.Type, e.Revision, S(e.Value))));
        Assert.Equal(created, events[1].CreateRevision);
    }
}
