using System.Text;
using Xunit;

namespace K8sHost.Storage.Tests.Sqlite;

public sealed class SqliteDurabilityTests : IDisposable
{
    private static readonly byte[] One = [1];
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task AcknowledgedWrites_SurviveACrash_SimulatedByCopyingTheOpenFiles()
    {
        var store = await _database.OpenAsync();
        var acknowledged = await Task.WhenAll(Enumerable.Range(0, 100).Select(async i =>
        {
            var result = await store.CreateAsync($"pods/p{i:D3}", Encoding.UTF8.GetBytes($"v{i}"));
            Assert.Equal(StoreStatus.Ok, result.Status);
            return (Key: $"pods/p{i:D3}", Revision: result.Value);
        }));
        var deleted = await store.DeleteAsync("pods/p000", 0);

        // The store stays open: nothing is checkpointed or closed cleanly, so the copy holds what a kill -9 leaves.
        Assert.True(SqliteFiles.Length(_database.Path + "-wal") > 0, "the writes should still be in the write-ahead log");
        var crashCopy = Path.Combine(_database.Directory, "crash-copy.db");
        File.Copy(_database.Path, crashCopy);
        File.Copy(_database.Path + "-wal", crashCopy + "-wal");

        await using var recovered = await _database.OpenAsync(_database.Settings(crashCopy));
        foreach (var (key, revision) in acknowledged.Skip(1))
        {
            var got = await recovered.GetAsync(key);
            Assert.Equal(StoreStatus.Ok, got.Status);
            Assert.Equal(revision, got.Value!.ModRevision);
        }

        Assert.Equal(StoreStatus.NotFound, (await recovered.GetAsync("pods/p000")).Status);
        Assert.Equal(deleted.Value, await recovered.GetCurrentRevisionAsync());
        await store.DisposeAsync();
    }

    [Fact]
    public async Task Reopen_AfterCompactingAwayTheNewestTombstones_NeverReusesARevision()
    {
        long last;
        await using (var store = await _database.OpenAsync())
        {
            var a = (await store.CreateAsync("cm/a", One)).Value;
            await store.DeleteAsync("cm/a", a);
            var b = (await store.CreateAsync("cm/b", One)).Value;
            last = (await store.DeleteAsync("cm/b", b)).Value;
            await store.CreateAsync("cm/c", One);
            last = (await store.DeleteAsync("cm/c", 0)).Value;
            await store.CompactAsync(last);
        }

        await using var reopened = await _database.OpenAsync();

        Assert.Equal(last, await reopened.GetCurrentRevisionAsync());
        Assert.Equal(last + 1, (await reopened.CreateAsync("cm/d", One)).Value);
    }
}
