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
        var readAt = revision == 0 || revision > current ? current : revision;
        if (revision != 0 && revision < compacted)
        {
            return StoreResult<RangeResult>.Fail(StoreStatus.Compacted);
        }

        // Every revision up to the one we report must be decided, or a write committing later at a lower revision
        // would be missing from both this list and a watch started after it.
        await _settler.SettleAsync(compacted, current, ct);

        // Raw KV keeps no old versions. An older revision can still be served when the log proves nothing under
        // the prefix changed since then (typical for continue tokens); otherwise the answer is Compacted.
        if (readAt < current && !await UnchangedSinceAsync(prefix, readAt, current, ct))
        {
            return StoreResult<RangeResult>.Fail(StoreStatus.Compacted);
        }

        var prefixBytes = Keys.Data(prefix);
        var start = prefixBytes;
        if (startAfter is not null)
        {
            var after = Keys.Successor(Keys.Data(startAfter));
            if (after.AsSpan().SequenceCompareTo(start) > 0)
            {
                start = after;
            }
        }

        var end = Keys.PrefixEnd(prefixBytes) ?? [];
        var wanted = limit <= 0 ? int.MaxValue : limit + 1;
        var items = new List<KeyValue>();
        while (items.Count < wanted)
        {
            // Tombstones and bookkeeping keys take scan slots without being visible, so ask for what is still missing and go on.
            var ask = limit <= 0 ? 0 : wanted - items.Count;
            var page = await _kv.ScanAsync(start, end, ask, BatchSize, ct);
            foreach (var (key, raw) in page)
            {
                if (Keys.IsMeta(key))
                {
                    continue;
                }

                var envelope = Envelope.Decode(raw);
                if (readAt < current && envelope is { Kind: EnvelopeKind.Live or EnvelopeKind.Tombstone } && envelope.ModRevision > readAt)
                {
                    // Changed while we were reading: the older revision can no longer be served exactly.
                    return StoreResult<RangeResult>.Fail(StoreStatus.Compacted);
                }

                var visible = await VisibleAsync(raw, readAt, ct);
                if (visible is not null && items.Count < wanted)
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

        var more = limit > 0 && items.Count > limit;
        if (more)
        {
            items.RemoveAt(items.Count - 1);
        }

        return StoreResult<RangeResult>.Ok(new RangeResult(items, readAt, more));
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
