using System.Text;
using K8sHost.Storage.Tests.Conformance;
using Xunit;

namespace K8sHost.Storage.Tests.Sqlite;

/// <summary>Two store instances on one file behave like two processes: separate writer connections, one log.</summary>
public sealed class SqliteSharedFileTests : IDisposable
{
    private static readonly byte[] One = [1];
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task TwoWritersOnOneFile_NeverSeeDatabaseLocked_AndGetDistinctRevisions()
    {
        await using var first = await _database.OpenAsync();
        await using var second = await _database.OpenAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(i =>
            (i % 2 == 0 ? first : second).CreateAsync($"pods/p{i:D2}", Encoding.UTF8.GetBytes("v"))));

        Assert.All(results, r => Assert.Equal(StoreStatus.Ok, r.Status));
        Assert.Equal(64, results.Select(r => r.Value).Distinct().Count());
        Assert.Equal(64, (await first.ListAsync("pods/", null, 0)).Value!.Items.Count);
    }

    [Fact]
    public async Task Watch_SeesWritesMadeByAnotherInstance_ThroughThePeriodicPoll()
    {
        await using var watcher = await _database.OpenAsync();
        await using var writer = await _database.OpenAsync();
        var start = await watcher.GetCurrentRevisionAsync();
        var collecting = WatchCollector.TakeChangesAsync(watcher, "pods/", start, 3);
        await Task.Delay(100);

        var revisions = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            revisions.Add((await writer.CreateAsync($"pods/p{i}", Encoding.UTF8.GetBytes("v"))).Value);
        }

        Assert.Equal(revisions, (await collecting).Select(e => e.Revision));
    }

    [Fact]
    public async Task AStalledWatchConsumer_DoesNotBlockWriters()
    {
        await using var store = await _database.OpenAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var stalled = store.WatchAsync("pods/", 0, cts.Token).GetAsyncEnumerator(cts.Token);
        await store.CreateAsync("pods/first", One);
        Assert.True(await stalled.MoveNextAsync());

        // The consumer now stops reading while 300 writes go through.
        var writes = Task.WhenAll(Enumerable.Range(0, 300).Select(i => store.CreateAsync($"pods/p{i:D3}", One)));
        Assert.Same(writes, await Task.WhenAny(writes, Task.Delay(TimeSpan.FromSeconds(15))));

        var seen = 1;
        while (seen < 301 && await stalled.MoveNextAsync())
        {
            seen += stalled.Current.Type == StoreEventType.Put ? 1 : 0;
        }

        Assert.Equal(301, seen);
    }
}
