using System.Security.Cryptography;
using System.Text;
using K8sHost.Storage.Sqlite;
using Xunit;

namespace K8sHost.Storage.Tests.Sqlite;

/// <summary>Online snapshots of the embedded store: consistent under writes, verified before restore, never half-applied.</summary>
public sealed class SqliteSnapshotTests
{
    private static byte[] Value(int i) => Encoding.UTF8.GetBytes($"{{\"i\":{i}}}");

    private static async Task<Dictionary<string, (byte[] Value, long Mod)>> DumpAsync(IResourceStore store)
    {
        var page = await store.ListAsync("k8s/", null, 0);
        return page.Value!.Items.ToDictionary(kv => kv.Key, kv => (kv.Value, kv.ModRevision));
    }

    [Fact]
    public async Task Save_WhileWritesContinue_HoldsExactlyTheKeysWrittenUpToItsRevision()
    {
        using var db = new TempDatabase();
        var acknowledged = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
        await using (var store = await db.OpenAsync())
        {
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested && i < 5000; i++)
                {
                    var key = $"k8s/o/p/configmaps/ns/w{w}-{i}";
                    var r = await store.CreateAsync(key, Value(i));
                    acknowledged[key] = r.Value;
                }
            })).ToArray();
            while (acknowledged.Count < 200) await Task.Delay(10);
            var info = SqliteSnapshots.Save(db.Path, Path.Combine(db.Directory, "s.snap"));
            await Task.Delay(100);
            await stop.CancelAsync();
            await Task.WhenAll(writers);
            Assert.True(acknowledged.Values.Any(rev => rev > info.Revision), "writes must have continued past the snapshot");

            var restoredPath = Path.Combine(db.Directory, "restored", "state.db");
            SqliteSnapshots.Restore(Path.Combine(db.Directory, "s.snap"), restoredPath, overwrite: false);
            await using var restored = await SqliteStore.OpenAsync(db.Settings(restoredPath));
            Assert.Equal(info.Revision, await restored.GetCurrentRevisionAsync());
            var keys = (await DumpAsync(restored)).Keys.ToHashSet();
            var expected = acknowledged.Where(a => a.Value <= info.Revision).Select(a => a.Key).ToHashSet();
            Assert.Equal(expected.Count, info.Keys);
            Assert.True(expected.SetEquals(keys), $"restored {keys.Count} keys, expected {expected.Count}");
        }
    }

    [Fact]
    public async Task Restore_OfATruncatedOrCorruptedSnapshot_IsRefusedAndLeavesTheTargetUntouched()
    {
        using var db = new TempDatabase();
        await using (var store = await db.OpenAsync())
            for (var i = 0; i < 50; i++) await store.CreateAsync($"k8s/o/p/configmaps/ns/c{i}", Value(i));
        var snap = Path.Combine(db.Directory, "s.snap");
        SqliteSnapshots.Save(db.Path, snap);
        var bytes = await File.ReadAllBytesAsync(snap);

        var truncated = Path.Combine(db.Directory, "truncated.snap");
        await File.WriteAllBytesAsync(truncated, bytes[..(bytes.Length - 1000)]);
        var flipped = Path.Combine(db.Directory, "flipped.snap");
        var copy = (byte[])bytes.Clone();
        copy[^2000] ^= 0x40;
        await File.WriteAllBytesAsync(flipped, copy);
        var garbage = Path.Combine(db.Directory, "garbage.snap");
        await File.WriteAllTextAsync(garbage, "not a snapshot");

        // A fresh target: nothing may appear there.
        var fresh = Path.Combine(db.Directory, "fresh", "state.db");
        Assert.Contains("truncated", Assert.Throws<SnapshotException>(() => SqliteSnapshots.Restore(truncated, fresh, overwrite: false)).Message);
        Assert.Contains("SHA-256 does not match", Assert.Throws<SnapshotException>(() => SqliteSnapshots.Restore(flipped, fresh, overwrite: false)).Message);
        Assert.Contains("not a K8sHost snapshot", Assert.Throws<SnapshotException>(() => SqliteSnapshots.Restore(garbage, fresh, overwrite: false)).Message);
        Assert.False(File.Exists(fresh));
        Assert.Empty(Directory.Exists(Path.GetDirectoryName(fresh)) ? Directory.GetFiles(Path.GetDirectoryName(fresh)!) : []);

        // An existing target, even with --force: its bytes stay as they were.
        var before = SHA256.HashData(await File.ReadAllBytesAsync(db.Path));
        Assert.Throws<SnapshotException>(() => SqliteSnapshots.Restore(truncated, db.Path, overwrite: true));
        Assert.Throws<SnapshotException>(() => SqliteSnapshots.Restore(flipped, db.Path, overwrite: true));
        Assert.Equal(before, SHA256.HashData(await File.ReadAllBytesAsync(db.Path)));
    }

    [Fact]
    public async Task Restore_OverAnExistingStore_NeedsForce_AndIsRefusedWhileTheStoreIsOpen()
    {
        using var db = new TempDatabase();
        var snap = Path.Combine(db.Directory, "s.snap");
        await using (var store = await db.OpenAsync())
        {
            await store.CreateAsync("k8s/o/p/configmaps/ns/kept", Value(1));
            SqliteSnapshots.Save(db.Path, snap);
            await store.CreateAsync("k8s/o/p/configmaps/ns/later", Value(2));

            Assert.Contains("--force", Assert.Throws<SnapshotException>(() => SqliteSnapshots.Restore(snap, db.Path, overwrite: false)).Message);
            Assert.Contains("in use", Assert.Throws<SnapshotException>(() => SqliteSnapshots.Restore(snap, db.Path, overwrite: true)).Message);
            Assert.Equal(StoreStatus.Ok, (await store.GetAsync("k8s/o/p/configmaps/ns/later")).Status);
        }

        SqliteSnapshots.Restore(snap, db.Path, overwrite: true);
        await using var reopened = await db.OpenAsync();
        Assert.Equal(StoreStatus.Ok, (await reopened.GetAsync("k8s/o/p/configmaps/ns/kept")).Status);
        Assert.Equal(StoreStatus.NotFound, (await reopened.GetAsync("k8s/o/p/configmaps/ns/later")).Status);
    }

    [Fact]
    public async Task Defragment_ReportsTheFileSizesBeforeAndAfter_KeepsEveryKey_AndRefusesWhileTheStoreIsOpen()
    {
        using var db = new TempDatabase();
        var big = new byte[8192];
        await using (var store = await db.OpenAsync())
        {
            for (var i = 0; i < 400; i++) await store.CreateAsync($"k8s/o/p/configmaps/ns/c{i}", big);
            for (var i = 0; i < 300; i++) await store.DeleteAsync($"k8s/o/p/configmaps/ns/c{i}", 0);
            await store.CompactAsync(await store.GetCurrentRevisionAsync());
            Assert.Contains("in use", Assert.Throws<SnapshotException>(() => SqliteMaintenance.Defragment(db.Path)).Message);
        }

        var measured = SqliteFileSizes.Of(db.Path);
        var (before, after) = SqliteMaintenance.Defragment(db.Path);
        Assert.Equal(measured, before);
        Assert.Equal(new FileInfo(db.Path).Length, after.Database);
        Assert.True(after.Database <= before.Database + before.Wal, $"defrag must not grow the store: {before} -> {after}");
        Assert.Equal(0, after.Wal);
        await using var reopened = await db.OpenAsync();
        Assert.Equal(100, (await DumpAsync(reopened)).Count);
    }
}
