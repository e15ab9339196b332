using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace K8sHost.Storage.Sqlite;

/// <summary>
/// The change feed: polls the log for rows after the last delivered revision. A local commit wakes it at once;
/// a timer also wakes it so commits by other processes are seen. Each poll is a short read transaction whose
/// results are delivered after the connection is returned, so a slow consumer never pins a snapshot or a writer.
/// </summary>
internal sealed class WatchFeed(string connectionString, ChangeSignal signal, SqliteStoreSettings settings, CancellationToken storeClosed)
{
    private const int PageRows = 256;

    /// <summary>A page stops early past this many value bytes, so a burst of multi-MiB objects stays in memory bounds.</summary>
    private const long PageBytes = 16 * 1024 * 1024;

    private readonly record struct Poll(List<StoreEvent> Events, long SnapshotRevision, long CompactRevision, bool Full);

    public async IAsyncEnumerable<StoreEvent> RunAsync(string prefix, long afterRevision, [EnumeratorCancellation] CancellationToken ct)
    {
        var range = KeyRange.ForPrefix(prefix);
        var last = afterRevision;
        var lastSent = DateTime.UtcNow;
        using var stopWaiting = CancellationTokenSource.CreateLinkedTokenSource(ct, storeClosed);
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (storeClosed.IsCancellationRequested)
            {
                // Closing the store ends every feed; consumers reconnect to whatever replaces it.
                throw SqliteErrors.Closed();
            }

            var wake = signal.Current;
            var poll = Read(range, last);
            if (last < poll.CompactRevision)
            {
                yield return StoreEvent.CompactedAt(poll.CompactRevision);
                yield break;
            }

            foreach (var change in poll.Events)
            {
                yield return change;
            }

            if (poll.Events.Count > 0)
            {
                last = poll.Events[^1].Revision;
                lastSent = DateTime.UtcNow;
            }

            if (poll.Full)
            {
                continue;
            }

            // Nothing under this prefix up to the snapshot: skip the scan past foreign keys next time.
            last = Math.Max(last, poll.SnapshotRevision);
            var idle = DateTime.UtcNow - lastSent;
            if (idle >= settings.ProgressInterval)
            {
                yield return StoreEvent.Progress(last);
                lastSent = DateTime.UtcNow;
                idle = TimeSpan.Zero;
            }

            var wait = Min(settings.WatchPollInterval, settings.ProgressInterval - idle);
            await Task.WhenAny(wake, Task.Delay(wait, stopWaiting.Token)).ConfigureAwait(false);
        }
    }

    private Poll Read(KeyRange range, long after)
    {
        try
        {
            using var connection = new SqliteConnection(connectionString);
            connection.Open();
            using var tx = connection.BeginTransaction(deferred: true);
            var compacted = LogReads.Meta(connection, tx, SqliteSchema.CompactRevision);
            var snapshot = LogReads.CurrentRevision(connection, tx);
            var (events, full) = after < compacted ? ([], false) : ReadRows(connection, tx, range, after);
            tx.Commit();
            return new Poll(events, snapshot, compacted, full);
        }
        catch (Exception ex) when (SqliteErrors.IsStoreFailure(ex))
        {
            throw SqliteErrors.Unavailable(ex);
        }
    }

    private static (List<StoreEvent> Events, bool Full) ReadRows(SqliteConnection connection, SqliteTransaction tx, KeyRange range, long after)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        // Unary + keeps SQLite off the key index: a watch reads the tail of the log, so walking revisions from
        // `after` is cheap, while a key-range scan would sort every historical row under the prefix.
        var endCondition = range.End is null ? "" : "AND +key < $end";
        command.CommandText = $"""
            SELECT revision, key, value, create_revision, deleted FROM kv
            WHERE revision > $after AND +key >= $start {endCondition}
            ORDER BY revision LIMIT {PageRows};
            """;
        command.Parameters.AddWithValue("$after", after);
        command.Parameters.AddWithValue("$start", range.Start);
        if (range.End is not null)
        {
            command.Parameters.AddWithValue("$end", range.End);
        }

        var events = new List<StoreEvent>();
        long bytes = 0;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            if (bytes > PageBytes)
            {
                return (events, true);
            }

            var deleted = reader.GetInt64(4) != 0;
            events.Add(new StoreEvent(
                deleted ? StoreEventType.Delete : StoreEventType.Put,
                LogReads.Key(reader, 1),
                deleted ? [] : LogReads.Blob(reader, 2),
                reader.GetInt64(0),
                reader.GetInt64(3)));
            bytes += events[^1].Value.Length;
        }

        return (events, events.Count == PageRows);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b)
    {
        var min = a < b ? a : b;
        return min < TimeSpan.FromMilliseconds(10) ? TimeSpan.FromMilliseconds(10) : min;
    }
}
