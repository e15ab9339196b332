using System.Text;
using Microsoft.Data.Sqlite;

namespace K8sHost.Storage.Sqlite;

/// <summary>The SQL that reads the change log, shared by the read path, the watch feed and the writer.</summary>
internal static class LogReads
{
    /// <summary>One log row: the newest version of a key as far as the caller is concerned.</summary>
    public readonly record struct LatestRow(long Revision, long CreateRevision, bool Deleted);

    public static long CurrentRevision(SqliteConnection connection, SqliteTransaction? tx = null) =>
        Scalar(connection, tx, "SELECT seq FROM sqlite_sequence WHERE name = 'kv';");

    public static long Meta(SqliteConnection connection, SqliteTransaction? tx, string name)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "SELECT value FROM meta WHERE name = $name;";
        command.Parameters.AddWithValue("$name", name);
        return command.ExecuteScalar() is long value ? value : 0;
    }

    public static KeyValue? Get(SqliteConnection connection, string key)
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT revision, create_revision, deleted, value FROM kv
            WHERE key = $key ORDER BY revision DESC LIMIT 1;
            """;
        command.Parameters.AddWithValue("$key", Encoding.UTF8.GetBytes(key));
        using var reader = command.ExecuteReader();
        if (!reader.Read() || reader.GetInt64(2) != 0)
        {
            return null;
        }

        return new KeyValue(key, Blob(reader, 3), reader.GetInt64(1), reader.GetInt64(0));
    }

    public static byte[] Blob(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? [] : (byte[])reader.GetValue(ordinal);

    public static string Key(SqliteDataReader reader, int ordinal) => Encoding.UTF8.GetString(Blob(reader, ordinal));

    private static long Scalar(SqliteConnection connection, SqliteTransaction? tx, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        return command.ExecuteScalar() is long value ? value : 0;
    }
}
