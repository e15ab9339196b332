using Microsoft.Data.Sqlite;

namespace K8sHost.Storage.Sqlite;

/// <summary>
/// Records the new compacted revision (clamped to the current one). From this commit on, reads and watches older
/// than it answer Compacted, so the physical deletion that follows can never be observed half-done.
/// </summary>
internal sealed class MarkCompactionOp(long revision) : WriteOp<long>
{
    protected override long Run(WriteContext context)
    {
        var connection = context.Connection;
        var target = Math.Min(revision, LogReads.CurrentRevision(connection));
        var existing = LogReads.Meta(connection, null, SqliteSchema.CompactRevision);
        if (target <= existing)
        {
            return existing;
        }

        MetaWrites.Set(connection, SqliteSchema.CompactRevision, target);
        return target;
    }
}

/// <summary>
/// Deletes history in one small revision window, so the writer (and every writer waiting behind it) is held only
/// briefly. A row goes when a newer row of the same key at or below the compacted revision supersedes it, and
/// tombstones older than the compacted revision go too. Current values are never touched, and the state as of
/// any revision at or after the compacted revision stays readable. Returns true while work remains.
/// </summary>
internal sealed class CompactStepOp(int windowRevisions) : WriteOp<bool>
{
    protected override bool Run(WriteContext context)
    {
        var connection = context.Connection;
        var target = LogReads.Meta(connection, null, SqliteSchema.CompactRevision);
        var done = LogReads.Meta(connection, null, SqliteSchema.CompactDone);
        if (done >= target)
        {
            return false;
        }

        var high = Math.Min(done + windowRevisions, target);
        using (var command = connection.CreateCommand())
        {
            // Rows superseded by a newer row inside (done, high]: older windows already removed what they superseded.
            command.CommandText = """
                DELETE FROM kv WHERE revision IN (
                    SELECT older.revision FROM kv AS newer
                    JOIN kv AS older ON older.key = newer.key AND older.revision < newer.revision
                    WHERE newer.revision > $low AND newer.revision <= $high);
                DELETE FROM kv WHERE revision > $low AND revision <= $high AND revision < $target AND deleted = 1;
                """;
            command.Parameters.AddWithValue("$low", done);
            command.Parameters.AddWithValue("$high", high);
            command.Parameters.AddWithValue("$target", target);
            command.ExecuteNonQuery();
        }

        MetaWrites.Set(connection, SqliteSchema.CompactDone, high);
        // Hand freed pages back to the file system a little at a time; the file shrinks instead of only holding steady.
        SqliteSchema.Execute(connection, "PRAGMA incremental_vacuum(2000);");
        return high < target;
    }
}

internal static class MetaWrites
{
    public static void Set(SqliteConnection connection, string name, long value)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO meta (name, value) VALUES ($name, $value) ON CONFLICT (name) DO UPDATE SET value = excluded.value;";
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$value", value);
        command.ExecuteNonQuery();
    }
}
