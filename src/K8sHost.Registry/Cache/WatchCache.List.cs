using K8sHost.Registry.Contracts;

namespace K8sHost.Registry.Cache;

/// <summary>A page read from the cache. <see cref="LastKey"/> is set when more keys follow (the continue point).</summary>
public sealed record CachePage(List<ObjectVersion> Items, long Revision, string? LastKey, long? Remaining);

// Consistent lists at a revision R without a store round trip: walk the current state in key order and, for keys
// changed after R, take their value as of R from the ring (the Prev of the first event after R; absent if created).
public sealed partial class WatchCache
{
    /// <summary>Up to how many keys after a page are counted for remainingItemCount.</summary>
    internal const int RemainingCountBound = 1000;

    /// <summary>
    /// Up to <paramref name="limit"/> (0 = all) matching objects under <paramref name="prefix"/> strictly after
    /// <paramref name="startAfter"/>, as of <paramref name="revision"/> (0 = the cache's current revision).
    /// Returns null when <paramref name="revision"/> is older than the ring (the caller answers 410).
    /// The caller must have waited until the cache reached <paramref name="revision"/>.
    /// </summary>
    public CachePage? List(string prefix, string? startAfter, long revision, int limit, Func<ObjectVersion, bool>? matches)
    {
        _lock.EnterReadLock();
        try
        {
            var at = revision == 0 || revision > _revision ? _revision : revision;
            if (at < _ring.CompleteAfter) return null;
            var asOf = CorrectionsAfter(at, prefix, startAfter);
            var older = asOf.Count == 0 ? [] : asOf.Where(p => p.Value is not null).Select(p => p.Value!).OrderBy(v => v.Key, StringComparer.Ordinal).ToList();

            var items = new List<ObjectVersion>(limit > 0 ? Math.Min(limit, 1024) : 256);
            using var current = Range(prefix, startAfter).Where(v => !asOf.ContainsKey(v.Key)).GetEnumerator();
            var hasCurrent = current.MoveNext();
            var olderIndex = 0;
            string? lastKey = null;
            while (hasCurrent || olderIndex < older.Count)
            {
                if (limit > 0 && items.Count == limit)
                {
                    lastKey = items[^1].Key;
                    break;
                }
                ObjectVersion next;
                if (!hasCurrent || (olderIndex < older.Count && string.CompareOrdinal(older[olderIndex].Key, current.Current.Key) < 0))
                    next = older[olderIndex++];
                else
                {
                    next = current.Current;
                    hasCurrent = current.MoveNext();
                }
                if (matches is null || matches(next)) items.Add(next);
            }

            // remainingItemCount is optional ("where known"). Counting the whole rest would make every page O(N), so
            // count at most a bounded number of further keys and leave it out when the rest is larger.
            long? remaining = null;
            if (lastKey is not null && matches is null && asOf.Count == 0)
            {
                var bound = Math.Max(limit, RemainingCountBound);
                var rest = Range(prefix, lastKey).Take(bound + 1).LongCount();
                if (rest <= bound) remaining = rest;
            }
            return new CachePage(items, at, lastKey, remaining);
        }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>The oldest revision a list can still be served at (continue tokens older than this get 410).</summary>
    public long OldestListableRevision
    {
        get
        {
            _lock.EnterReadLock();
            try { return _ring.CompleteAfter; }
            finally { _lock.ExitReadLock(); }
        }
    }

    // Keys under the prefix changed after `at`, mapped to their version as of `at` (null = did not exist).
    private Dictionary<string, ObjectVersion?> CorrectionsAfter(long at, string prefix, string? startAfter)
    {
        var result = new Dictionary<string, ObjectVersion?>(StringComparer.Ordinal);
        if (at >= _revision) return result;
        var first = _ring.FirstAfter(at);
        // Walk backwards so the first event after `at` for each key is the one that wins.
        for (var i = _ring.Count - 1; i >= first; i--)
        {
            var e = _ring[i];
            if (!e.Key.StartsWith(prefix, StringComparison.Ordinal)) continue;
            if (startAfter is not null && string.CompareOrdinal(e.Key, startAfter) <= 0) continue;
            result[e.Key] = e.Prev;
        }
        return result;
    }
}
