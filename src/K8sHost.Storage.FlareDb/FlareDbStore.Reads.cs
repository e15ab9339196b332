using K8sHost.Storage.FlareDb.Layout;

namespace K8sHost.Storage.FlareDb;

public sealed partial class FlareDbStore
{
    /// <summary>How many log records a list at an older revision may inspect to prove nothing under its prefix changed.</summary>
    private const int MaxLogRecordsForHistoricalList = 10_000;

    public async Task<StoreResult<KeyValue>> GetAsync(string key, CancellationToken ct = default)
    {
        var raw = await _kv.GetAsync(Keys.Data(key), ct);
        var visible = await VisibleAsync(raw, long.MaxValue, ct);
        return visible is null ? StoreResult<KeyValue>.Fail(StoreStatus.NotFound) : StoreResult<KeyValue>.Ok(ToKeyValue(key, visible));
    }

    public async Task<StoreResult<RangeResult>> ListAsync(string prefix, string? startAfter, int limit, long revision = 0, CancellationToken ct = default)
    {
        var current = await _counter.CurrentAsync(ct);
        var compacted = await GetCompactedRevisionAsync(ct);
        if (revision != 0 && revision < compacted)
        {
            return StoreResult<RangeResult>.Fail(StoreStatus.Compacted);
        }

        // Every revision up to the one we report must be decided, or a write committing later at a lower revision
        // would be missing from both this list and a watch started after it.
        await _settler.SettleAsync(compacted, current, ct);

        var range = ScanRange(prefix, startAfter);
        if (revision == 0 || revision >= current)
        {
            var latest = await ScanVisibleAsync(range, limit <= 0 ? 0 : limit + 1, current, ct);
            return Page(latest, limit, current);
        }

        // An older revision. Raw KV keeps one version per key, so the page is rebuilt from the current values and
        // the change log: every key changed after `revision` is set back to its value before its first later change.
        if (await UnchangedSinceAsync(prefix, revision, current, ct))
        {
            // Fast path (typical for continue tokens): nothing under the prefix changed since then.
            var unchanged = await ScanVisibleAsync(range, limit <= 0 ? 0 : limit + 1, revision, ct);
            if (unchanged.All(i => i.ModRevision <= revision))
            {
                return Page(unchanged, limit, revision);
            }
        }

        return Page(await ReconstructAsync(prefix, startAfter, range, revision, ct), limit, revision);
    }

    private static (byte[] Start, byte[] End) ScanRange(string prefix, string? startAfter)
    {
        var start = Keys.Data(prefix);
        var end = Keys.PrefixEnd(start) ?? [];
        if (startAfter is not null)
        {
            var after = Keys.Successor(Keys.Data(startAfter));
            if (after.AsSpan().SequenceCompareTo(start) > 0)
            {
                start = after;
            }
        }

        return (start, end);
    }

    private static StoreResult<RangeResult> Page(List<KeyValue> items, int limit, long revision)
    {
        var more = limit > 0 && items.Count > limit;
        if (more)
        {
            items.RemoveRange(limit, items.Count - limit);
        }

        return StoreResult<RangeResult>.Ok(new RangeResult(items, revision, more));
    }

    /// <summary>Visible values in the range, at most <paramref name="wanted"/> (0 = all).</summary>
    private async Task<List<KeyValue>> ScanVisibleAsync((byte[] Start, byte[] End) range, int wanted, long readAt, CancellationToken ct)
    {
        var items = new List<KeyValue>();
        var start = range.Start;
        while (wanted == 0 || items.Count < wanted)
        {
            // Tombstones and bookkeeping keys take scan slots without being visible, so ask for what is still missing and go on.
            var ask = wanted == 0 ? 0 : wanted - items.Count;
            var page = await _kv.ScanAsync(start, range.End, ask, BatchSize, ct);
            foreach (var (key, raw) in page)
            {
                if (!Keys.IsMeta(key) && await VisibleAsync(raw, readAt, ct) is { } visible)
                {
                    items.Add(ToKeyValue(Keys.DataKeyString(key), visible));
                }
            }

            if (ask == 0 || page.Count < ask)
            {
                break;
            }

            start = Keys.Successor(page[^1].Key);
        }

        return items;
    }

    /// <summary>
    /// The range as of <paramref name="revision"/>: current values, then every key with a log record after the
    /// revision replaced by the state its first such record says it had before (absent or an older value).
    /// The log is read after the values, so a change that lands during the scan is in the log and undone too.
    /// </summary>
    private async Task<List<KeyValue>> ReconstructAsync(string prefix, string? startAfter, (byte[] Start, byte[] End) range, long revision, CancellationToken ct)
    {
        var byKey = new SortedDictionary<string, KeyValue>(StringComparer.Ordinal);
        foreach (var item in await ScanVisibleAsync(range, 0, revision, ct))
        {
            byKey[item.Key] = item;
        }

        var upTo = await _counter.CurrentAsync(ct);
        await _settler.SettleAsync(revision, upTo, ct);
        var undone = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (logKey, bytes) in await _kv.ScanAsync(Keys.Log(revision + 1), Keys.Log(upTo + 1), 0, BatchSize, ct))
        {
            var record = LogRecord.Decode(Keys.RevisionOfLogKey(logKey), bytes);
            if (record.State != LogState.Committed || !record.Key.StartsWith(prefix, StringComparison.Ordinal) ||
                (startAfter is not null && string.CompareOrdinal(record.Key, startAfter) <= 0) || !undone.Add(record.Key))
            {
                continue;
            }

            var before = Envelope.Decode(record.Previous);
            if (before?.Kind == EnvelopeKind.Live)
            {
                byKey[record.Key] = ToKeyValue(record.Key, before);
            }
            else
            {
                byKey.Remove(record.Key);
            }
        }

        return [.. byKey.Values];
    }

    /// <summary>
    /// What a reader sees in a stored envelope as of <paramref name="readAt"/>: the value, or null for absent.
    /// An intent is resolved read-only: its log slot says committed (new value) or not (yet): then the previous value.
    /// </summary>
    private async Task<Envelope?> VisibleAsync(byte[]? raw, long readAt, CancellationToken ct)
    {
        var envelope = raw is null ? null : Envelope.Decode(raw);
        switch (envelope?.Kind)
        {
            case EnvelopeKind.Live:
                return envelope;
            case EnvelopeKind.Intent:
                if (envelope.ModRevision <= readAt && await ReadSlotAsync(envelope.ModRevision, ct) is { State: LogState.Committed })
                {
                    return envelope.Op == WriteOp.Put ? Envelope.Live(envelope.CreateRevision, envelope.ModRevision, envelope.Value) : null;
                }

                var previous = Envelope.Decode(envelope.Previous ?? []);
                return previous?.Kind == EnvelopeKind.Live ? previous : null;
            default:
                return null;
        }
    }

    private async Task<LogRecord?> ReadSlotAsync(long revision, CancellationToken ct)
    {
        var bytes = await _kv.GetAsync(Keys.Log(revision), ct);
        return bytes is null ? null : LogRecord.Decode(revision, bytes);
    }

    /// <summary>True when no committed log record in (after, upTo] touches a key under <paramref name="prefix"/>.</summary>
    private async Task<bool> UnchangedSinceAsync(string prefix, long after, long upTo, CancellationToken ct)
    {
        if (upTo - after > MaxLogRecordsForHistoricalList)
        {
            return false;
        }

        foreach (var (key, value) in await _kv.ScanAsync(Keys.Log(after + 1), Keys.Log(upTo + 1), 0, BatchSize, ct))
        {
            var record = LogRecord.Decode(Keys.RevisionOfLogKey(key), value);
            if (record.State == LogState.Committed && record.Key.StartsWith(prefix, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
