using Google.Protobuf;

namespace K8sHost.UnitTests.Protobuf;

/// <summary>
/// Builds protobuf test inputs with Google.Protobuf's CodedOutputStream, field by field, the way Kubernetes' generated
/// marshallers write them (every non-pointer field, empty or not).
/// </summary>
public sealed class ProtoBuilder
{
    private readonly MemoryStream _buffer = new();
    private readonly CodedOutputStream _out;

    public ProtoBuilder() => _out = new CodedOutputStream(_buffer, leaveOpen: true);

    public ProtoBuilder Str(int field, string value)
    {
        _out.WriteTag(field, WireFormat.WireType.LengthDelimited);
        _out.WriteString(value);
        return this;
    }

    public ProtoBuilder Bytes(int field, byte[] value)
    {
        _out.WriteTag(field, WireFormat.WireType.LengthDelimited);
        _out.WriteBytes(ByteString.CopyFrom(value));
        return this;
    }

    public ProtoBuilder Msg(int field, ProtoBuilder message) => Bytes(field, message.ToArray());

    public ProtoBuilder Int(int field, long value)
    {
        _out.WriteTag(field, WireFormat.WireType.Varint);
        _out.WriteInt64(value);
        return this;
    }

    public ProtoBuilder Bool(int field, bool value)
    {
        _out.WriteTag(field, WireFormat.WireType.Varint);
        _out.WriteBool(value);
        return this;
    }

    public ProtoBuilder Fixed32(int field, uint value)
    {
        _out.WriteTag(field, WireFormat.WireType.Fixed32);
        _out.WriteFixed32(value);
        return this;
    }

    /// <summary>A map&lt;string,string&gt; entry (key 1, value 2).</summary>
    public ProtoBuilder MapEntry(int field, string key, string value) => Msg(field, new ProtoBuilder().Str(1, key).Str(2, value));

    public ProtoBuilder MapEntry(int field, string key, byte[] value) => Msg(field, new ProtoBuilder().Str(1, key).Bytes(2, value));

    public byte[] ToArray()
    {
        _out.Flush();
        return _buffer.ToArray();
    }

    /// <summary>ObjectMeta as the Go marshaller writes it: every string field, the zero creationTimestamp included.</summary>
    public static ProtoBuilder ObjectMeta(string name, string ns = "", IDictionary<string, string>? labels = null)
    {
        var m = new ProtoBuilder().Str(1, name).Str(2, "").Str(3, ns).Str(4, "").Str(5, "").Str(6, "").Int(7, 0)
            .Msg(8, new ProtoBuilder());
        foreach (var (k, v) in labels ?? new Dictionary<string, string>()) m.MapEntry(11, k, v);
        return m;
    }

    /// <summary>The request body: "k8s\0" then runtime.Unknown {typeMeta, raw, contentEncoding, contentType}.</summary>
    public static byte[] Envelope(string apiVersion, string kind, ProtoBuilder obj)
    {
        var unknown = new ProtoBuilder()
            .Msg(1, new ProtoBuilder().Str(1, apiVersion).Str(2, kind))
            .Msg(2, obj)
            .Str(3, "")
            .Str(4, "");
        return [.. "k8s\0"u8.ToArray(), .. unknown.ToArray()];
    }
}
