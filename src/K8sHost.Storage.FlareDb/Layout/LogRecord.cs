using System.Buffers.Binary;
using System.Text;

namespace K8sHost.Storage.FlareDb.Layout;

internal enum LogState : byte
{
    /// <summary>The write of this revision happened; this slot is its commit point.</summary>
    Committed = 1,
    /// <summary>The revision was allocated but its write did not happen (conflict, or fenced off as abandoned).</summary>
    Aborted = 2,
}

/// <summary>
/// One slot of the change log, stored at <see cref="Keys.Log"/>(revision) and written exactly once with
/// RawCompareAndSwap(previous_not_exist): whoever fills the slot first decides the fate of that revision.
/// <see cref="Previous"/> is the key's envelope before the write (empty = absent), so lists at an older
/// revision can undo later changes. Encoding: [state:1][op:1][createRev:8][keyLen:4][prevLen:4][key…][prev…][value…]
/// </summary>
internal sealed record LogRecord(long Revision, LogState State, WriteOp Op, string Key, long CreateRevision, byte[] Value, byte[] Previous)
{
    private const int HeaderLength = 18;

    public static LogRecord Aborted(long revision) => new(revision, LogState.Aborted, WriteOp.Put, "", 0, [], []);

    public byte[] Encode()
    {
        var key = Encoding.UTF8.GetBytes(Key);
        var bytes = new byte[HeaderLength + key.Length + Previous.Length + Value.Length];
        bytes[0] = (byte)State;
        bytes[1] = (byte)Op;
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(2), CreateRevision);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(10), key.Length);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(14), Previous.Length);
        key.CopyTo(bytes, HeaderLength);
        Previous.CopyTo(bytes, HeaderLength + key.Length);
        Value.CopyTo(bytes, HeaderLength + key.Length + Previous.Length);
        return bytes;
    }

    public static LogRecord Decode(long revision, ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderLength)
        {
            return Aborted(revision);
        }

        var keyLength = BinaryPrimitives.ReadInt32BigEndian(bytes[10..]);
        var previousLength = BinaryPrimitives.ReadInt32BigEndian(bytes[14..]);
        if (keyLength < 0 || previousLength < 0 || (long)HeaderLength + keyLength + previousLength > bytes.Length)
        {
            return Aborted(revision);
        }

        var body = bytes[HeaderLength..];
        return new LogRecord(
            revision,
            (LogState)bytes[0],
            (WriteOp)bytes[1],
            Encoding.UTF8.GetString(body[..keyLength]),
            BinaryPrimitives.ReadInt64BigEndian(bytes[2..]),
            body[(keyLength + previousLength)..].ToArray(),
            body.Slice(keyLength, previousLength).ToArray());
    }
}
