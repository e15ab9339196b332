using Microsoft.Data.Sqlite;

namespace K8sHost.Storage.Sqlite;

/// <summary>
/// The on-disk layout, kine style: <c>kv</c> is an append-only change log (one row per write, deletes are tombstone
/// rows) whose rowid is the global revision. AUTOINCREMENT makes SQLite remember the highest revision ever used
/// (sqlite_sequence), so revisions are never reused even after compaction deletes the newest tombstone.
/// </summary>
internal static class SqliteSchema
{
    public const string CompactRevision = "compact_rev";

    /// <summary>How far the physical deletion of a compaction has got; resumes after a crash.</summary>
    public const string CompactDone = "compact_done";

    private const string CreateTables = """
        CREATE TABLE IF NOT EXISTS kv (
            revision        INTEGER PRIMARY KEY AUTOINCREMENT,
            key             BLOB    NOT NULL,
            value           BLOB,
            create_revision INTEGER NOT NULL,
            prev_revision   INTEGER NOT NULL,
            deleted         INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS kv_key_revision ON kv (key, revision);
        CREATE TABLE IF NOT EXISTS meta (
            name  TEXT PRIMARY KEY,
            value INTEGER NOT NULL
        ) WITHOUT ROWID;
        """;

    public static SqliteConnection OpenWriter(string path, TimeSpan busyTimeout)
    {
        // The writer is private (not pooled): it carries synchronous=FULL and owns every write transaction.
        var connection = new SqliteConnection(ConnectionString(path, pooled: false, busyTimeout));
        connection.Open();

        // auto_vacuum only takes effect before the first table exists; INCREMENTAL lets compaction hand pages back.
        Execute(connection, "PRAGMA auto_vacuum = INCREMENTAL;");
        Execute(connection, "PRAGMA journal_mode = WAL;");
        // FULL fsyncs the WAL at every commit: an acknowledged write survives power loss and kill -9.
        Execute(connection, "PRAGMA synchronous = FULL;");
        Execute(connection, $"PRAGMA busy_timeout = {(int)busyTimeout.TotalMilliseconds};");
        // Truncate the WAL back to 16 MiB after checkpoints so a burst does not leave a huge file behind.
        Execute(connection, "PRAGMA journal_size_limit = 16777216;");
        Execute(connection, CreateTables);
        return connection;
    }

    public static string ReaderConnectionString(string path, TimeSpan busyTimeout) =>
        ConnectionString(path, pooled: true, busyTimeout);

    private static string ConnectionString(string path, bool pooled, TimeSpan busyTimeout) =>
        new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = pooled,
            // Microsoft.Data.Sqlite retries SQLITE_BUSY until this elapses.
            DefaultTimeout = Math.Max(1, (int)busyTimeout.TotalSeconds),
        }.ToString();

    public static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
