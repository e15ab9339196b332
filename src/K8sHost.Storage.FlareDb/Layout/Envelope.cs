using System.Buffers.Binary;

namespace K8sHost.Storage.FlareDb.Layout;

internal enum EnvelopeKind : byte
{
    /// <summary>The key holds a value.</summary>
    Live = 1,
    /// <summary>The key was deleted at ModRevision (0 = a placeholder left by a rolled-back create). Reads see "not found".</summary>
    Tombstone = 2,
    /// <summary>A write in flight: the key is locked until the log slot of Revision decides commit or abort.</summary>
    Intent = 3,
    /// <summary>Compaction is removing this tombstone. Reads see "not found"; writers wait, or take it over once stale.</summary>
    Reaping = 4,
}

internal enum WriteOp : byte
{
    Put = 1,
    Delete = 2,
}

/// <summary>
/// What a data key holds. Binary, not JSON: RawCompareAndSwap compares exact bytes, so the encoding must be
/// canonical, and the object bytes stay opaque to the backend.
/// Live:      [1][createRev:8][modRev:8][value…]
/// Tombstone: [2][modRev:8]
/// Intent:    [3][rev:8][createRev:8][op:1][startedAtUnixMs:8][prevLen:4][prev envelope…][new value…]
/// Reaping:   [4][startedAtUnixMs:8]
/// </summary>
internal sealed record Envelope(
    EnvelopeKind Kind,
    long CreateRevision,
    long ModRevision,
    byte[] Value,
    WriteOp Op = WriteOp.Put,
    long StartedAtUnixMs = 0,
    byte[]? Previous = null)
{
    public static Envelope Live(long createRevision, long modRevision, byte[] value) => new(EnvelopeKind.Live, createRevision, modRevision, value);

    public static Envelope Tombstone(long deleteRevision) => new(EnvelopeKind.Tombstone, 0, deleteRevision, []);

    /// <summary>An intent to write revision <paramref name="revision"/>; <paramref name="previous"/> is the exact envelope it replaces (empty if the key was absent).</summary>
    public static Envelope Intent(long revision, long createRevision, WriteOp op, byte[] value, byte[] previous, long startedAtUnixMs) =>
        new(EnvelopeKind.Intent, createRevision, revision, value, op, startedAtUnixMs, previous);

    public static Envelope Reaping(long startedAtUnixMs) => new(EnvelopeKind.Reaping, 0, 0, [], StartedAtUnixMs: startedAtUnixMs);

    public byte[] Encode()
    {
        switch (Kind)
        {
            case EnvelopeKind.Reaping:
                {
                    var bytes = new byte[9];
                    bytes[0] = (byte)Kind;
                    BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(1), StartedAtUnixMs);
                    return bytes;
                }
            case EnvelopeKind.Live:
                {
                    var bytes = new byte[17 + Value.Length];
                    bytes[0] = (byte)Kind;
                    BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(1), CreateRevision);
                    BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(9), ModRevision);
                    Value.CopyTo(bytes, 17);
                    return bytes;
                }
            case EnvelopeKind.Tombstone:
                {
                    var bytes = new byte[9];
                    bytes[0] = (byte)Kind;
                    BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(1), ModRevision);
                    return bytes;
                }
            default:
                {
                    var prev = Previous ?? [];
                    var bytes = new byte[30 + prev.Length + Value.Length];
                    bytes[0] = (byte)Kind;
                    BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(1), ModRevision);
                    BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(9), CreateRevision);
                    bytes[17] = (byte)Op;
                    BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(18), StartedAtUnixMs);
                    BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(26), prev.Length);
                    prev.CopyTo(bytes, 30);
                    Value.CopyTo(bytes, 30 + prev.Length);
                    return bytes;
                }
        }
    }

    /// <summary>Decodes a stored envelope; null for an empty or foreign value (treated as absent, never overwritten blindly).</summary>
    public static Envelope? Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return null;
        }

        switch ((EnvelopeKind)bytes[0])
        {
            case EnvelopeKind.Live when bytes.Length >= 17:
                return Live(
                    BinaryPrimitives.ReadInt64BigEndian(bytes[1..]),
                    BinaryPrimitives.ReadInt64BigEndian(bytes[9..]),
                    bytes[17..].ToArray());
            case EnvelopeKind.Tombstone when bytes.Length >= 9:
                return Tombstone(BinaryPrimitives.ReadInt64BigEndian(bytes[1..]));
            case EnvelopeKind.Reaping when bytes.Length >= 9:
                return Reaping(BinaryPrimitives.ReadInt64BigEndian(bytes[1..]));
            case EnvelopeKind.Intent when bytes.Length >= 30:
                var prevLength = BinaryPrimitives.ReadInt32BigEndian(bytes[26..]);
                if (prevLength < 0 || 30 + prevLength > bytes.Length)
                {
                    return null;
                }

                return Intent(
                    BinaryPrimitives.ReadInt64BigEndian(bytes[1..]),
                    BinaryPrimitives.ReadInt64BigEndian(bytes[9..]),
                    (WriteOp)bytes[17],
                    bytes[(30 + prevLength)..].ToArray(),
                    bytes.Slice(30, prevLength).ToArray(),
                    BinaryPrimitives.ReadInt64BigEndian(bytes[18..]));
            default:
                return null;
        }
    }
}
