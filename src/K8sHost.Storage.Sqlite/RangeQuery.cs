using Microsoft.Data.Sqlite;

namespace K8sHost.Storage.Sqlite;

/// <summary>
/// A page of a key range as of one revision. Walks the (key, revision) index in key order and keeps a row only if
/// no newer row of the same key exists at or below the read revision, so LIMIT stops the scan early.
/// </summary>
internal static class RangeQuery
{
    public static (List<KeyValue> Items, bool More) Read(
        SqliteConnection connection, SqliteTransaction tx, string prefix, string? startAfter, int limit, long revision)
    {
        var range = KeyRange.ForPrefix(prefix);
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        var conditions = new List<string> { "k.key >= $start", "k.revision <= $revision" };
        command.Parameters.AddWithValue("$start", range.Start);
        command.Parameters.AddWithValue("$revision", revision);
        if (range.End is not null)
        {
            conditions.Add("k.key < $end");
            command.Parameters.AddWithValue("$end", range.End);
        }

        if (startAfter is not null)
        {
            conditions.Add("k.key > $after");
            command.Parameters.AddWithValue("$after", WriteContext.KeyBytes(startAfter));
        }

        var limitClause = limit > 0 ? "LIMIT $limit" : "";
        if (limit > 0)
        {
            command.Parameters.AddWithValue("$limit", limit + 1);
        }

        command.CommandText = $"""
            SELECT k.key, k.value, k.create_revision, k.revision FROM kv AS k
            WHERE {string.Join(" AND ", conditions)} AND k.deleted = 0
              AND NOT EXISTS (SELECT 1 FROM kv AS n WHERE n.key = k.key AND n.revision > k.revision AND n.revision <= $revision)
            ORDER BY k.key {limitClause};
            """;

        var items = new List<KeyValue>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            items.Add(new KeyValue(LogReads.Key(reader, 0), LogReads.Blob(reader, 1), reader.GetInt64(2), reader.GetInt64(3)));
        }

        var more = limit > 0 && items.Count > limit;
        if (more)
        {
            items.RemoveAt(items.Count - 1);
        }

        return (items, more);
    }
}
