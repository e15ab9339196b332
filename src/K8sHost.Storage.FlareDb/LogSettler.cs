using K8sHost.Storage.FlareDb.Layout;
using K8sHost.Storage.FlareDb.Routing;

namespace K8sHost.Storage.FlareDb;

/// <summary>
/// Makes the change log gap-free up to a revision. A revision is drawn before its write, so for a moment its
/// log slot is empty while the writer works. A slot that stays empty longer than the intent grace belongs to a
/// writer that died or stalled: the settler fills it with an Aborted record (CAS on an absent key, so only one
/// party decides), which also fences the writer off — its own commit CAS on the slot then fails and it rolls back.
/// </summary>
internal sealed class LogSettler
{
    private readonly RawKvClient _kv;
    private readonly FlareDbSettings _settings;
    private readonly int _batchSize;
    private long _settledUpTo;

    public LogSettler(RawKvClient kv, FlareDbSettings settings, int batchSize)
    {
        _kv = kv;
        _settings = settings;
        _batchSize = batchSize;
    }

    /// <summary>Returns once every slot in (from, upTo] is decided. Waits at most the intent grace per stuck slot.</summary>
    public async Task SettleAsync(long from, long upTo, CancellationToken ct)
    {
        var start = Math.Max(from, Volatile.Read(ref _settledUpTo)) + 1;
        if (start > upTo)
        {
            return;
        }

        var firstSeenMissing = new Dictionary<long, DateTime>();
        while (true)
        {
            var present = new HashSet<long>();
            foreach (var (key, _) in await _kv.ScanAsync(Keys.Log(start), Keys.Log(upTo + 1), 0, _batchSize, ct, keyOnly: true))
            {
                present.Add(Keys.RevisionOfLogKey(key));
            }

            var missing = new List<long>();
            for (var revision = start; revision <= upTo; revision++)
            {
                if (!present.Contains(revision))
                {
                    missing.Add(revision);
                }
            }

            if (missing.Count == 0)
            {
                InterlockedMax(ref _settledUpTo, upTo);
                return;
            }

            var now = DateTime.UtcNow;
            var waitedOut = new List<long>();
            foreach (var revision in missing)
            {
                if (!firstSeenMissing.TryGetValue(revision, out var seen))
                {
                    firstSeenMissing[revision] = now;
                }
                else if (now - seen >= _settings.IntentGrace)
                {
                    waitedOut.Add(revision);
                }
            }

            foreach (var revision in waitedOut)
            {
                await AbortSlotAsync(revision, ct);
            }

            if (waitedOut.Count == missing.Count)
            {
                continue;
            }

            start = missing[0];
            await Task.Delay(TimeSpan.FromMilliseconds(10), ct);
        }
    }

    /// <summary>Decides a slot as Aborted unless someone decided it first. Returns the slot's final record bytes.</summary>
    public async Task<byte[]> AbortSlotAsync(long revision, CancellationToken ct)
    {
        var aborted = LogRecord.Aborted(revision).Encode();
        var (swapped, previous) = await _kv.CompareAndSwapAsync(Keys.Log(revision), null, aborted, ct);
        return swapped ? aborted : previous ?? aborted;
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
