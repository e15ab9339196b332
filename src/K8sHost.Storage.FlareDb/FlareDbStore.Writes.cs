using K8sHost.Storage.FlareDb.Layout;

namespace K8sHost.Storage.FlareDb;

/// <summary>
/// Writes follow an intent protocol (Percolator-like, one key at a time):
///  1. read the key's envelope and check the caller's precondition;
///  2. draw a revision R from the global counter;
///  3. CAS the key from the exact bytes read to an Intent(R, new value, previous envelope) — this locks the key;
///  4. CAS log slot R from absent to Committed(key, value) — the commit point;
///  5. CAS the key from the intent to its final envelope (Live, or Tombstone for a delete).
/// A crash after 3 leaves an intent that any reader or writer resolves from slot R: Committed rolls it forward,
/// Aborted (written by whoever waited out the grace period) rolls it back. See docs/flaredb.md.
/// Failures before step 4 was sent leave the write unapplied (<see cref="StoreUnavailableException"/>, a 503);
/// an unanswered step 4 is <see cref="StoreOutcomeUnknownException"/> (504); after step 4 the write has happened.
/// </summary>
public sealed partial class FlareDbStore
{
    private enum WriteKind
    {
        Create,
        Update,
        Delete,
    }

    public Task<StoreResult<long>> CreateAsync(string key, ReadOnlyMemory<byte> value, CancellationToken ct = default) =>
        WriteAsync(key, WriteKind.Create, value.ToArray(), 0, ct);

    public Task<StoreResult<long>> UpdateAsync(string key, ReadOnlyMemory<byte> value, long expectedModRevision, CancellationToken ct = default) =>
        WriteAsync(key, WriteKind.Update, value.ToArray(), expectedModRevision, ct);

    public Task<StoreResult<long>> DeleteAsync(string key, long expectedModRevision, CancellationToken ct = default) =>
        WriteAsync(key, WriteKind.Delete, [], expectedModRevision, ct);

    private async Task<StoreResult<long>> WriteAsync(string key, WriteKind kind, byte[] value, long expected, CancellationToken ct)
    {
        var dataKey = Keys.Data(key);
        // Bounded: an intent left by a dead writer is resolved after the grace period, so waiting longer means trouble.
        var deadline = DateTime.UtcNow + _settings.IntentGrace + _options.CallTimeout * 2;
        var pause = TimeSpan.FromMilliseconds(2);
        while (DateTime.UtcNow < deadline)
        {
            var raw = await _kv.GetAsync(dataKey, ct);
            var envelope = raw is null ? null : Envelope.Decode(raw);
            if (envelope?.Kind == EnvelopeKind.Reaping && IsYoung(envelope.StartedAtUnixMs, ReapingTakeoverFactor))
            {
                // Compaction is deleting this tombstone right now; once gone (or stale) the key is free.
                await Task.Delay(pause, ct);
                pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 50));
                continue;
            }

            if (envelope?.Kind == EnvelopeKind.Intent)
            {
                if (!await TryResolveIntentAsync(dataKey, raw!, envelope, ct))
                {
                    // Another writer is mid-flight on this key: give it a moment.
                    await Task.Delay(pause, ct);
                    pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 50));
                }

                continue;
            }

            var current = envelope?.Kind == EnvelopeKind.Live ? ToKeyValue(key, envelope) : null;
            var refusal = CheckPrecondition(kind, current, expected);
            if (refusal is { } refused)
            {
                return refused;
            }

            var revision = await _counter.NextAsync(ct);
            var op = kind == WriteKind.Delete ? WriteOp.Delete : WriteOp.Put;
            var createRevision = kind == WriteKind.Create || current is null ? revision : current.CreateRevision;
            var intent = Envelope.Intent(revision, createRevision, op, value, raw ?? [], DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()).Encode();

            var (locked, _) = await _kv.CompareAndSwapAsync(dataKey, raw, intent, ct);
            if (!locked)
            {
                // Someone changed the key since we read it: give the revision back as Aborted so watchers need not wait for it.
                await _settler.AbortSlotAsync(revision, ct);
                continue;
            }

            var record = new LogRecord(revision, LogState.Committed, op, key, createRevision, value, raw ?? []).Encode();
            bool committed;
            try
            {
                // A transport retry of this CAS after a lost answer finds our own record in the slot: that is a commit.
                var (swapped, previous) = await _kv.CompareAndSwapAsync(Keys.Log(revision), null, record, ct);
                committed = swapped || (previous is not null && previous.AsSpan().SequenceEqual(record));
            }
            catch (StoreUnavailableException e)
            {
                // The commit point was sent and not answered: the slot may hold our record (applied) or stay open
                // until a reader aborts it. Only the slot knows, and it cannot be read now.
                throw new StoreOutcomeUnknownException($"flaredb: the commit of revision {revision} was not answered; it may have been applied", e);
            }

            if (!committed)
            {
                // We were too slow: a reader waited out the grace period and decided our slot as Aborted. Undo the lock.
                await _kv.CompareAndSwapAsync(dataKey, intent, RolledBack(raw), ct);
                throw new StoreUnavailableException($"flaredb: write of revision {revision} exceeded the intent grace period and was aborted");
            }

            var final = op == WriteOp.Put ? Envelope.Live(createRevision, revision, value) : Envelope.Tombstone(revision);
            // Committed already; if this swap loses or fails, a reader rolls the intent forward for us. Either way
            // the write is applied and must be reported so (never as a failure the client would retry).
            try
            {
                await _kv.CompareAndSwapAsync(dataKey, intent, final.Encode(), ct);
            }
            catch (Exception e) when (e is StoreUnavailableException or OperationCanceledException)
            {
            }

            _signal.Notify();
            return StoreResult<long>.Ok(revision, kind == WriteKind.Delete ? current : null);
        }

        throw new StoreUnavailableException($"flaredb: key {key} stayed locked by another writer past the intent grace period");
    }

    private static StoreResult<long>? CheckPrecondition(WriteKind kind, KeyValue? current, long expected)
    {
        switch (kind)
        {
            case WriteKind.Create when current is not null:
                return StoreResult<long>.Fail(StoreStatus.KeyExists, current);
            case WriteKind.Update or WriteKind.Delete when current is null:
                return StoreResult<long>.Fail(StoreStatus.NotFound);
            case WriteKind.Update when current!.ModRevision != expected:
                return StoreResult<long>.Fail(StoreStatus.Conflict, current);
            case WriteKind.Delete when expected != 0 && current!.ModRevision != expected:
                return StoreResult<long>.Fail(StoreStatus.Conflict, current);
            default:
                return null;
        }
    }

    /// <summary>
    /// Settles someone else's intent from its log slot. Returns false when the slot is still open and the intent is
    /// younger than the grace period (its writer is presumably still working).
    /// </summary>
    private async Task<bool> TryResolveIntentAsync(byte[] dataKey, byte[] raw, Envelope intent, CancellationToken ct)
    {
        var revision = intent.ModRevision;
        var slot = await _kv.GetAsync(Keys.Log(revision), ct);
        if (slot is null)
        {
            if (IsYoung(intent.StartedAtUnixMs))
            {
                return false;
            }

            slot = await _settler.AbortSlotAsync(revision, ct);
        }

        var record = LogRecord.Decode(revision, slot);
        byte[] target;
        if (record.State == LogState.Committed)
        {
            target = intent.Op == WriteOp.Put
                ? Envelope.Live(intent.CreateRevision, revision, intent.Value).Encode()
                : Envelope.Tombstone(revision).Encode();
        }
        else
        {
            target = RolledBack(intent.Previous is { Length: > 0 } previous ? previous : null);
        }

        await _kv.CompareAndSwapAsync(dataKey, raw, target, ct);
        return true;
    }

    /// <summary>
    /// A compactor sends its delete within a quarter grace of marking; its retries take at most about one grace.
    /// Waiting three graces before reusing a marked key leaves that delete ample time to land first.
    /// </summary>
    private const int ReapingTakeoverFactor = 3;

    private bool IsYoung(long startedAtUnixMs, int graces = 1) =>
        DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - startedAtUnixMs < _settings.IntentGrace.TotalMilliseconds * graces;

    /// <summary>What a key returns to when its intent is undone: the exact previous bytes, or a placeholder tombstone if it was absent (raw KV CAS cannot delete).</summary>
    private static byte[] RolledBack(byte[]? previous) => previous ?? Envelope.Tombstone(0).Encode();
}
