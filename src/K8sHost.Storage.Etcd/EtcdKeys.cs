using System.Text;
using Google.Protobuf;

namespace K8sHost.Storage.Etcd;

/// <summary>Converts store keys (UTF-8 strings) to etcd byte keys and computes range ends.</summary>
internal static class EtcdKeys
{
    public static ByteString ToBytes(string key) => ByteString.CopyFromUtf8(key);

    public static string FromBytes(ByteString key) => key.ToStringUtf8();

    /// <summary>
    /// The smallest key greater than every key starting with <paramref name="prefix"/> (etcd's "prefix end"):
    /// drop trailing 0xff bytes, then increment the last byte. An empty prefix (or all 0xff) means "to the end
    /// of the keyspace", which etcd spells as a single zero byte.
    /// </summary>
    public static ByteString PrefixEnd(string prefix)
    {
        var bytes = Encoding.UTF8.GetBytes(prefix);
        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            if (bytes[i] < 0xff)
            {
                var end = bytes[..(i + 1)];
                end[i]++;
                return ByteString.CopyFrom(end);
            }
        }

        return ByteString.CopyFrom(0);
    }

    /// <summary>The first key strictly after <paramref name="key"/> in byte order: the key followed by a zero byte.</summary>
    public static ByteString After(string key) => ByteString.CopyFrom([.. Encoding.UTF8.GetBytes(key), 0]);

    /// <summary>Byte order, with an all-zero single byte meaning "end of keyspace" as etcd reads range_end.</summary>
    public static bool IsBefore(ByteString key, ByteString rangeEnd) =>
        (rangeEnd.Length == 1 && rangeEnd[0] == 0) || key.Span.SequenceCompareTo(rangeEnd.Span) < 0;

    public static KeyValue ToKeyValue(Protocol.KeyValue kv) =>
        new(FromBytes(kv.Key), kv.Value.ToByteArray(), kv.CreateRevision, kv.ModRevision);
}
