namespace K8sHost.FlareDb.ProtocolServer.Cluster;

/// <summary>The storage under every region: one sorted in-memory map in ordinal byte order, guarded by a lock.</summary>
public sealed class RawEngine
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<byte[], byte[]> _data = new(ByteOrder.Instance);

    public byte[]? Get(byte[] key)
    {
        lock (_gate)
        {
            return _data.TryGetValue(key, out var value) ? value : null;
        }
    }

    public void Put(byte[] key, byte[] value)
    {
        lock (_gate)
        {
            _data[key] = value;
        }
    }

    public void Delete(byte[] key)
    {
        lock (_gate)
        {
            _data.Remove(key);
        }
    }

    /// <summary>Atomic compare-and-swap with RawCompareAndSwap's semantics; returns the value seen before.</summary>
    public (bool Swapped, byte[]? Previous) CompareAndSwap(byte[] key, bool expectAbsent, byte[] expected, byte[] value)
    {
        lock (_gate)
        {
            var exists = _data.TryGetValue(key, out var previous);
            var matches = expectAbsent ? !exists : exists && previous!.AsSpan().SequenceEqual(expected);
            if (matches)
            {
                _data[key] = value;
            }

            return (matches, previous);
        }
    }

    /// <summary>Keys in [start, end) (end empty = unbounded), at most <paramref name="limit"/>.</summary>
    public List<KeyValuePair<byte[], byte[]>> Scan(byte[] start, byte[] end, int limit)
    {
        lock (_gate)
        {
            var result = new List<KeyValuePair<byte[], byte[]>>();
            foreach (var pair in _data)
            {
                if (ByteOrder.Instance.Compare(pair.Key, start) < 0)
                {
                    continue;
                }

                if ((end.Length > 0 && ByteOrder.Instance.Compare(pair.Key, end) >= 0) || result.Count >= limit)
                {
                    break;
                }

                result.Add(pair);
            }

            return result;
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _data.Count;
            }
        }
    }
}

public sealed class ByteOrder : IComparer<byte[]>
{
    public static readonly ByteOrder Instance = new();

    public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
}
