using System.Runtime.CompilerServices;
using K8sHost.Storage.FlareDb.Layout;

namespace K8sHost.Storage.FlareDb;

/// <summary>
/// The change feed is a poll of the log (woken at once by local writes, every PollInterval for other replicas'
/// writes). Slots are read in revision order and only after they are decided, so the feed has no gaps and never
/// reorders; Progress events say "nothing newer than N" while idle.
/// </summary>
public sealed partial class FlareDbStore
{
    public async IAsyncEnumerable<StoreEvent> WatchAsync(string prefix, long afterRevision, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var compacted = await GetCompactedRevisionAsync(ct);
        if (afterRevision < compacted)
        {
            yield return StoreEvent.CompactedAt(compacted);
            yield break;
        }

        var next = afterRevision + 1;
        var lastProgress = DateTime.MinValue;
        while (!ct.IsCancellationRequested)
        {
            var wake = _signal.Current;
            var current = await _counter.CurrentAsync(ct);
            if (current >= next)
            {
                await _settler.SettleAsync(next - 1, current, ct);
                // One scan batch of records per round, however far behind the watcher is.
                var slots = await _kv.ScanAsync(Keys.Log(next), Keys.Log(current + 1), BatchSize, BatchSize, ct);
                foreach (var (logKey, bytes) in slots)
                {
                    var record = LogRecord.Decode(Keys.RevisionOfLogKey(logKey), bytes);
                    if (record.Revision != next)
                    {
                        // A decided slot vanished: only compaction deletes slots, so our position is gone.
                        yield return StoreEvent.CompactedAt(await GetCompactedRevisionAsync(ct));
                        yield break;
                    }

                    next = record.Revision + 1;
                    if (record.State == LogState.Committed && record.Key.StartsWith(prefix, StringComparison.Ordinal))
                    {
                        yield return record.Op == WriteOp.Put
                            ? new StoreEvent(StoreEventType.Put, record.Key, record.Value, record.Revision, record.CreateRevision)
                            : new StoreEvent(StoreEventType.Delete, record.Key, [], record.Revision, record.CreateRevision);
                    }
                }

                if (slots.Count == BatchSize)
                {
                    continue; // more to read right away
                }

                if (next <= current)
                {
                    yield return StoreEvent.CompactedAt(await GetCompactedRevisionAsync(ct));
                    yield break;
                }
            }

            if (DateTime.UtcNow - lastProgress >= _settings.ProgressInterval)
            {
                lastProgress = DateTime.UtcNow;
                yield return StoreEvent.Progress(next - 1);
            }

            // WhenAny never throws: cancellation simply ends the loop.
            await Task.WhenAny(wake, Task.Delay(_settings.PollInterval, ct));
        }
    }

    public async Task CompactAsync(long revision, CancellationToken ct = default)
    {
        // Raise the retained-start marker first, so no watcher resumes into the range being trimmed.
        var expected = await _kv.GetAsync(Keys.CompactedRevision, ct);
        while (true)
        {
            var old = expected is null ? 0 : Keys.DecodeLong(expected);
            if (revision <= old)
            {
                return;
            }

            var (swapped, previous) = await _kv.CompareAndSwapAsync(Keys.CompactedRevision, expected, Keys.EncodeLong(revision), ct);
            if (swapped)
            {
                break;
            }

            expected = previous;
        }

        // Then trim the log slots at or below it, a batch at a time, removing the tombstones of deletes on the way.
        while (true)
        {
            var batch = await _kv.ScanAsync(Keys.LogPrefix, Keys.Log(revision + 1), BatchSize, BatchSize, ct);
            foreach (var (key, value) in batch)
            {
                var record = LogRecord.Decode(Keys.RevisionOfLogKey(key), value);
                if (record is { State: LogState.Committed, Op: WriteOp.Delete })
                {
                    await ReapTombstoneAsync(record, ct);
                }

                await _kv.DeleteAsync(key, ct);
            }

            if (batch.Count < BatchSize)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Raw KV has no conditional delete, so a tombstone is first swapped to a Reaping marker (writers then wait
    /// instead of reusing the key), and only then deleted. If the delete cannot be sent promptly the marker is left:
    /// writers treat a marker older than the intent grace as absent and overwrite it with a CAS.
    /// </summary>
    private async Task ReapTombstoneAsync(LogRecord delete, CancellationToken ct)
    {
        var dataKey = Keys.Data(delete.Key);
        var started = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var (marked, _) = await _kv.CompareAndSwapAsync(dataKey, Envelope.Tombstone(delete.Revision).Encode(), Envelope.Reaping(started).Encode(), ct);
        if (marked && DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - started < _settings.IntentGrace.TotalMilliseconds / 4)
        {
            await _kv.DeleteAsync(dataKey, ct);
        }
    }
}
