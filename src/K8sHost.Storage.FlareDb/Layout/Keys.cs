using System.Buffers.Binary;
using System.Text;

namespace K8sHost.Storage.FlareDb.Layout;

/// <summary>
/// Where things live in the raw key space. Data keys are exactly the keys the API server passes
/// (k8s/{org}/{project}/{resource}/{namespace}/{name}), so the layout matches the system this replaces.
/// Bookkeeping lives under a separate top-level prefix that starts with a NUL byte, so it sorts before every
/// printable data key and no data prefix can reach it.
/// </summary>
internal static class Keys
{
    public static readonly byte[] MetaPrefix = "\0k8shost/"u8.ToArray();

    /// <summary>The global revision counter (8 bytes, big-endian), advanced only with RawCompareAndSwap.</summary>
    public static readonly byte[] RevisionCounter = "\0k8shost/rev"u8.ToArray();

    /// <summary>The revision up to which the change log has been trimmed (8 bytes, big-endian).</summary>
    public static readonly byte[] CompactedRevision = "\0k8shost/compacted"u8.ToArray();

    public static readonly byte[] LogPrefix = "\0k8shost/log/"u8.ToArray();

    public static byte[] Data(string key) => Encoding.UTF8.GetBytes(key);

    public static string DataKeyString(ReadOnlySpan<byte> key) => Encoding.UTF8.GetString(key);

    public static bool IsMeta(ReadOnlySpan<byte> key) => key.StartsWith(MetaPrefix);

    /// <summary>Log key for a revision: big-endian so byte order equals numeric order and a range scan reads in revision order.</summary>
    public static byte[] Log(long revision)
    {
        var key = new byte[LogPrefix.Length + 8];
        LogPrefix.CopyTo(key, 0);
        BinaryPrimitives.WriteInt64BigEndian(key.AsSpan(LogPrefix.Length), revision);
        return key;
    }

    public static long RevisionOfLogKey(ReadOnlySpan<byte> key) => BinaryPrimitives.ReadInt64BigEndian(key[LogPrefix.Length..]);

    /// <summary>Exclusive end of the log range.</summary>
    public static byte[] LogEnd => PrefixEnd(LogPrefix)!;

    /// <summary>The smallest byte string greater than every string with this prefix; empty when unbounded.</summary>
    public static byte[]? PrefixEnd(ReadOnlySpan<byte> prefix)
    {
        for (var i = prefix.Length - 1; i >= 0; i--)
        {
            if (prefix[i] == 0xFF)
            {
                continue;
            }

            var end = prefix[..(i + 1)].ToArray();
            end[i]++;
            return end;
        }

        return null;
    }

    /// <summary>The first key strictly after <paramref name="key"/> in byte order.</summary>
    public static byte[] Successor(ReadOnlySpan<byte> key)
    {
        var next = new byte[key.Length + 1];
        key.CopyTo(next);
        return next;
    }

    public static byte[] EncodeLong(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        return bytes;
    }

    public static long DecodeLong(ReadOnlySpan<byte> bytes) => bytes.Length == 8 ? BinaryPrimitives.ReadInt64BigEndian(bytes) : 0;
}
