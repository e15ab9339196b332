using K8sHost.Storage.Tests.Conformance;
using Xunit;

namespace K8sHost.Storage.Tests.Sqlite;

public sealed class SqliteWatchTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Watch_OverABurstOfLargeValues_PagesByBytes_AndDeliversEveryChangeInOrder()
    {
        await using var store = await _database.OpenAsync();
        var value = new byte[1536 * 1024];
        var revisions = new List<long>();
        for (var i = 0; i < 14; i++)
        {
            value[0] = (byte)i;
            revisions.Add((await store.CreateAsync($"secrets/s{i:D2}", value)).Value);
        }

        var events = await WatchCollector.TakeChangesAsync(store, "secrets/", 0, 14);

        Assert.Equal(revisions, events.Select(e => e.Revision));
        Assert.Equal(Enumerable.Range(0, 14).Select(i => (byte)i), events.Select(e => e.Value[0]));
        Assert.All(events, e => Assert.Equal(value.Length, e.Value.Length));
    }

    [Fact]
    public async Task Watch_OverMoreChangesThanOnePage_DeliversAllWithoutGapsOrDuplicates()
    {
        await using var store = await _database.OpenAsync();
        var written = await Task.WhenAll(Enumerable.Range(0, 700).Select(i => store.CreateAsync($"pods/p{i:D3}", new byte[] { 1 })));

        var events = await WatchCollector.TakeChangesAsync(store, "pods/", 0, 700);

        Assert.Equal(written.Select(r => r.Value).Order(), events.Select(e => e.Revision));
    }
}
