using System.Text;
using K8sHost.Storage.Sqlite;
using Xunit;

namespace K8sHost.Storage.Tests.Sqlite;

public sealed class SqliteCompactionTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private static async Task OverwriteAsync(SqliteStore store, int keys, int versions, int valueBytes)
    {
        var value = new byte[valueBytes];
        for (var v = 0; v < versions; v++)
        {
            await Task.WhenAll(Enumerable.Range(0, keys).Select(async k =>
            {
                var key = $"pods/p{k:D3}";
                var current = await store.GetAsync(key);
                var result = current.IsOk
                    ? await store.UpdateAsync(key, value, current.Value!.ModRevision)
                    : await store.CreateAsync(key, value);
                Assert.Equal(StoreStatus.Ok, result.Status);
            }));
        }
    }

    [Fact]
    public async Task Compact_RemovesSupersededHistory_SoRowsAndFileShrink()
    {
        await using var store = await _database.OpenAsync(_database.Settings() with { CompactionBatchRevisions = 50 });
        await OverwriteAsync(store, keys: 50, versions: 20, valueBytes: 2048);
        await store.DeleteAsync("pods/p000", 0);
        var rowsBefore = SqliteFiles.CountLogRows(_database.Path);
        SqliteFiles.Checkpoint(_database.Path);
        var sizeBefore = SqliteFiles.Length(_database.Path);

        await store.CompactAsync(await store.GetCurrentRevisionAsync());

        // Only the live value of each key remains, plus the deleted key's tombstone as the newest row.
        Assert.Equal(50 * 20 + 1, rowsBefore);
        Assert.Equal(50, SqliteFiles.CountLogRows(_database.Path));
        Assert.Equal(49, (await store.ListAsync("pods/", null, 0)).Value!.Items.Count);
        SqliteFiles.Checkpoint(_database.Path);
        var sizeAfter = SqliteFiles.Length(_database.Path);
        Assert.True(sizeAfter < sizeBefore / 2, $"file {sizeBefore} bytes before compaction, {sizeAfter} after");
    }

    [Fact]
    public async Task RepeatedOverwriteAndCompaction_KeepsTheFileBounded()
    {
        await using var store = await _database.OpenAsync();
        long? plateau = null;
        for (var round = 0; round < 4; round++)
        {
            await OverwriteAsync(store, keys: 20, versions: 10, valueBytes: 4096);
            await store.CompactAsync(await store.GetCurrentRevisionAsync());
            SqliteFiles.Checkpoint(_database.Path);
            var size = SqliteFiles.Length(_database.Path);
            plateau ??= size;
            // Freed pages are reused: later rounds must not keep adding to the file.
            Assert.True(size <= plateau * 1.5 + 1024 * 1024, $"round {round}: {size} bytes vs first round {plateau}");
        }

        Assert.Equal(20, SqliteFiles.CountLogRows(_database.Path));
    }

    [Fact]
    public async Task Compact_KeepsEveryRevisionFromTheCompactedOneReadable()
    {
        await using var store = await _database.OpenAsync(_database.Settings() with { CompactionBatchRevisions = 3 });
        var a = (await store.CreateAsync("cm/a", Encoding.UTF8.GetBytes("a1"))).Value;
        var a2 = (await store.UpdateAsync("cm/a", Encoding.UTF8.GetBytes("a2"), a)).Value;
        var b = (await store.CreateAsync("cm/b", Encoding.UTF8.GetBytes("b1"))).Value;
        var compactAt = await store.GetCurrentRevisionAsync();
        await store.UpdateAsync("cm/a", Encoding.UTF8.GetBytes("a3"), a2);
        await store.DeleteAsync("cm/b", b);

        await store.CompactAsync(compactAt);

        var atCompact = (await store.ListAsync("cm/", null, 0, compactAt)).Value!;
        Assert.Equal(["a2", "b1"], atCompact.Items.Select(i => Encoding.UTF8.GetString(i.Value)));
        var events = await Conformance.WatchCollector.TakeChangesAsync(store, "cm/", compactAt, 2);
        Assert.Equal([StoreEventType.Put, StoreEventType.Delete], events.Select(e => e.Type));
    }

    [Fact]
    public async Task BackgroundCompactor_CompactsHistoryOlderThanTheWindow()
    {
        var settings = _database.Settings() with
        {
            RunBackgroundCompactor = true,
            CompactionWindow = TimeSpan.FromMilliseconds(200),
            CompactionInterval = TimeSpan.FromMilliseconds(100),
        };
        await using var store = await _database.OpenAsync(settings);
        await OverwriteAsync(store, keys: 5, versions: 10, valueBytes: 16);
        var written = await store.GetCurrentRevisionAsync();

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (await store.GetCompactedRevisionAsync() < written || SqliteFiles.CountLogRows(_database.Path) > 5)
        {
            await Task.Delay(50, deadline.Token);
        }

        Assert.Equal(5, (await store.ListAsync("pods/", null, 0)).Value!.Items.Count);
    }

    [Fact]
    public async Task Compact_BeyondTheCurrentRevision_IsClampedToIt()
    {
        await using var store = await _database.OpenAsync();
        var rev = (await store.CreateAsync("cm/a", Encoding.UTF8.GetBytes("v"))).Value;

        await store.CompactAsync(rev + 1000);

        Assert.Equal(rev, await store.GetCompactedRevisionAsync());
        Assert.Equal(rev + 1, (await store.CreateAsync("cm/b", Encoding.UTF8.GetBytes("v"))).Value);
    }
}
