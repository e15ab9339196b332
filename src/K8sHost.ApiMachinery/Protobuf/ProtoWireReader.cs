using K8sHost.ApiMachinery.Errors;

namespace K8sHost.ApiMachinery.Protobuf;

/// <summary>The protobuf wire types (the low 3 bits of a tag).</summary>
public enum WireType
{
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    StartGroup = 3,
    EndGroup = 4,
    Fixed32 = 5,
}

/// <summary>
/// Reads protobuf wire format from a span. Every malformed input (truncated varint, length past the end, a wire type
/// this format does not allow) throws an ApiError 400, so callers never see an IndexOutOfRange or a 500.
/// </summary>
public ref struct ProtoWireReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _pos;

    public readonly bool AtEnd => _pos >= _data.Length;

    /// <summary>Reads the next tag; returns false at the end of the message.</summary>
    public bool TryReadTag(out int fieldNumber, out WireType wireType)
    {
        fieldNumber = 0;
        wireType = default;
        if (AtEnd) return false;
        var tag = ReadVarint();
        var number = tag >> 3;
        if (number is 0 or > 536_870_911) throw Malformed($"invalid field number {number}");
        fieldNumber = (int)number;
        wireType = (WireType)(tag & 7);
        if (wireType is WireType.StartGroup or WireType.EndGroup or > WireType.Fixed32)
            throw Malformed($"unsupported wire type {(int)wireType} for field {fieldNumber}");
        return true;
    }

    public ulong ReadVarint()
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (AtEnd) throw Malformed("truncated varint");
            var b = _data[_pos++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return result;
        }
        throw Malformed("varint longer than 10 bytes");
    }

    public ReadOnlySpan<byte> ReadLengthDelimited()
    {
        var length = ReadVarint();
        if (length > (ulong)(_data.Length - _pos)) throw Malformed("length-delimited field runs past the end of the message");
        var slice = _data.Slice(_pos, (int)length);
        _pos += (int)length;
        return slice;
    }

    public ulong ReadFixed64()
    {
        if (_data.Length - _pos < 8) throw Malformed("truncated fixed64");
        var v = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(_data.Slice(_pos, 8));
        _pos += 8;
        return v;
    }

    public uint ReadFixed32()
    {
        if (_data.Length - _pos < 4) throw Malformed("truncated fixed32");
        var v = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(_data.Slice(_pos, 4));
        _pos += 4;
        return v;
    }

    /// <summary>A length-delimited field's payload; any other wire type is malformed for <paramref name="field"/>.</summary>
    public ReadOnlySpan<byte> ReadBytes(WireType wire, int field) =>
        wire == WireType.LengthDelimited ? ReadLengthDelimited() : throw WrongWireType(field, wire);

    public string ReadString(WireType wire, int field) => System.Text.Encoding.UTF8.GetString(ReadBytes(wire, field));

    /// <summary>A varint field's value; any other wire type is malformed for <paramref name="field"/>.</summary>
    public ulong ReadVarint(WireType wire, int field) => wire == WireType.Varint ? ReadVarint() : throw WrongWireType(field, wire);

    /// <summary>Skips a field this schema does not know (proto semantics: unknown fields are ignored).</summary>
    public void Skip(WireType wireType)
    {
        switch (wireType)
        {
            case WireType.Varint: ReadVarint(); break;
            case WireType.Fixed64: ReadFixed64(); break;
            case WireType.LengthDelimited: ReadLengthDelimited(); break;
            case WireType.Fixed32: ReadFixed32(); break;
            default: throw Malformed($"cannot skip wire type {(int)wireType}");
        }
    }

    public static ApiError WrongWireType(int field, WireType wire) =>
        Malformed($"field {field} has wire type {(int)wire}, which its type does not allow");

    public static ApiError Malformed(string why) =>
        ApiError.BadRequest($"error decoding request body: malformed protobuf: {why}");
}
