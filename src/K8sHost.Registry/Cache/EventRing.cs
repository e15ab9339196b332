namespace K8sHost.Registry.Cache;

/// <summary>
/// The recent events in revision order, bounded by count and age. <see cref="CompleteAfter"/> is the revision after
/// which every change is present: reads "as of R" and watch resumes "after R" work for R ≥ CompleteAfter.
/// Not thread-safe; the cache guards it with its lock.
/// </summary>
public sealed class EventRing(int capacity, TimeSpan window)
{
    private CachedEvent[] _items = new CachedEvent[Math.Min(capacity, 1024)];
    private int _head; // index of the oldest event
    private int _count;

    public long CompleteAfter { get; private set; }

    public int Count => _count;

    public CachedEvent this[int i] => _items[(_head + i) % _items.Length];

    /// <summary>Forgets every event; the ring is complete after <paramref name="revision"/>.</summary>
    public void Reset(long revision)
    {
        Array.Clear(_items);
        _head = 0;
        _count = 0;
        CompleteAfter = revision;
    }

    public void Append(CachedEvent e)
    {
        if (_count == capacity) DropOldest();
        if (_count == _items.Length) Grow();
        _items[(_head + _count) % _items.Length] = e;
        _count++;
        var horizon = e.AppliedAtUtc - window;
        while (_count > 1 && this[0].AppliedAtUtc < horizon) DropOldest();
    }

    /// <summary>Index of the first event with Revision &gt; <paramref name="revision"/> (Count when none).</summary>
    public int FirstAfter(long revision)
    {
        int lo = 0, hi = _count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (this[mid].Revision <= revision) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    private void DropOldest()
    {
        CompleteAfter = this[0].Revision;
        _items[_head] = null!;
        _head = (_head + 1) % _items.Length;
        _count--;
    }

    private void Grow()
    {
        var bigger = new CachedEvent[Math.Min(capacity, _items.Length * 2)];
        for (var i = 0; i < _count; i++) bigger[i] = this[i];
        _items = bigger;
        _head = 0;
    }
}
