using Microsoft.Data.Sqlite;

namespace K8sHost.Storage.Sqlite;

/// <summary>Sizes of the database file and its write-ahead log, in bytes.</summary>
public readonly record struct SqliteFileSizes(long Database, long Wal)
{
    public static SqliteFileSizes Of(string databasePath) =>
        new(LengthOf(databasePath), LengthOf(databasePath + "-wal"));

    private static long LengthOf(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;
}

/// <summary>
/// Defragmentation of the embedded store, etcd's "defrag" for SQLite: checkpoint the WAL into the database and
/// truncate it, then rebuild the file so pages freed by compaction go back to the file system. It needs the store to
/// itself (VACUUM rewrites every page), so it refuses while a server has the file open.
/// </summary>
public static class SqliteMaintenance
{
    public static (SqliteFileSizes Before, SqliteFileSizes After) Defragment(string databasePath)
    {
        if (!File.Exists(databasePath)) throw new SnapshotException($"no store at {databasePath}");
        if (SqliteSnapshots.IsInUse(databasePath))
            throw new SnapshotException($"the store at {databasePath} is in use by a running server; stop it first");
        var before = SqliteFileSizes.Of(databasePath);
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
        }.ToString()))
        {
            connection.Open();
            SqliteSchema.Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE);");
            SqliteSchema.Execute(connection, "VACUUM;");
            SqliteSchema.Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE);");
        }
        SqliteConnection.ClearAllPools();
        return (before, SqliteFileSizes.Of(databasePath));
    }
}
