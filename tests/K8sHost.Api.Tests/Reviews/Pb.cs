using System.Text;

namespace K8sHost.Api.Tests.Reviews;

/// <summary>A few lines of protobuf wire encoding, enough to send the bodies kubectl and helm send.</summary>
internal static class Pb
{
    public static byte[] Str(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public static byte[] Bytes(int field, params byte[][] parts)
    {
        var payload = parts.SelectMany(p => p).ToArray();
        return [.. Varint((ulong)(field << 3 | 2)), .. Varint((ulong)payload.Length), .. payload];
    }

    public static byte[] Int(int field, long value) => [.. Varint((ulong)(field << 3)), .. Varint((ulong)value)];

    public static byte[] Envelope(string apiVersion, string kind, params byte[][] obj) =>
        [.. "k8s\0"u8.ToArray(), .. Bytes(1, Str(1, apiVersion), Str(2, kind)), .. Bytes(2, obj)];

    private static byte[] Varint(ulong v)
    {
        var bytes = new List<byte>();
        while (v >= 0x80)
        {
            bytes.Add((byte)(v | 0x80));
            v >>= 7;
        }
        bytes.Add((byte)v);
        return [.. bytes];
    }
}
