using Microsoft.Data.Sqlite;

namespace K8sHost.Storage.Tests.Sqlite;

/// <summary>Looks inside a database file the way an operator would, through a separate connection.</summary>
public static class SqliteFiles
{
    public static long CountLogRows(string path)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM kv;";
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Copies the write-ahead log into the main file, as SQLite does on its own from time to time.</summary>
    public static void Checkpoint(string path)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
        command.ExecuteNonQuery();
    }

    /// <summary>Database plus write-ahead log: what the state costs on disk.</summary>
    public static long SizeOnDisk(string path) => Length(path) + Length(path + "-wal");

    public static long Length(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;
}
