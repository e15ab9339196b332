using System.Text;
using Microsoft.Data.Sqlite;

namespace K8sHost.Storage.Sqlite;

/// <summary>
/// What an operation sees inside the writer's open transaction: the latest row per key (including rows written
/// earlier in the same batch) and an append that hands out the next revision. Commands are prepared once and reused.
/// </summary>
internal sealed class WriteContext : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _latest;
    private readonly SqliteCommand _valueAt;
    private readonly SqliteCommand _append;
    private long _nextRevision;

    public WriteContext(SqliteConnection connection)
    {
        _connection = connection;
        _latest = Prepare("SELECT revision, create_revision, deleted FROM kv WHERE key = $key ORDER BY revision DESC LIMIT 1;", "$key");
        _valueAt = Prepare("SELECT value FROM kv WHERE revision = $revision;", "$revision");
        _append = Prepare(
            "INSERT INTO kv (revision, key, value, create_revision, prev_revision, deleted) VALUES ($revision, $key, $value, $create, $prev, $deleted);",
            "$revision", "$key", "$value", "$create", "$prev", "$deleted");
    }

    public SqliteConnection Connection => _connection;

    /// <summary>Called right after BEGIN IMMEDIATE: the sequence cannot move while we hold the write lock.</summary>
    public void BeginBatch() => _nextRevision = LogReads.CurrentRevision(_connection) + 1;

    public LogReads.LatestRow? Latest(byte[] key)
    {
        _latest.Parameters[0].Value = key;
        using var reader = _latest.ExecuteReader();
        return reader.Read() ? new LogReads.LatestRow(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2) != 0) : null;
    }

    public KeyValue Current(string key, LogReads.LatestRow row)
    {
        _valueAt.Parameters[0].Value = row.Revision;
        using var reader = _valueAt.ExecuteReader();
        var value = reader.Read() ? LogReads.Blob(reader, 0) : [];
        return new KeyValue(key, value, row.CreateRevision, row.Revision);
    }

    /// <summary>Appends one log row and returns its revision. createRevision 0 means "this write creates the key".</summary>
    public long Append(byte[] key, byte[] value, long createRevision, long prevRevision, bool deleted)
    {
        var revision = _nextRevision++;
        _append.Parameters[0].Value = revision;
        _append.Parameters[1].Value = key;
        _append.Parameters[2].Value = value;
        _append.Parameters[3].Value = createRevision == 0 ? revision : createRevision;
        _append.Parameters[4].Value = prevRevision;
        _append.Parameters[5].Value = deleted ? 1 : 0;
        _append.ExecuteNonQuery();
        return revision;
    }

    public static byte[] KeyBytes(string key) => Encoding.UTF8.GetBytes(key);

    public void Dispose()
    {
        _latest.Dispose();
        _valueAt.Dispose();
        _append.Dispose();
    }

    private SqliteCommand Prepare(string sql, params string[] names)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in names)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return command;
    }
}
