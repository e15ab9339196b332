using System.Text.Json;
using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;
using K8sHost.ApiMachinery.Protobuf.Schemas;

namespace K8sHost.ApiMachinery.Protobuf;

/// <summary>
/// Turns Kubernetes protobuf (the "k8s\0" envelope around a runtime.Unknown) into the JsonObject the same object has
/// in Kubernetes JSON, driven only by the message tables: one generic walk, no per-kind code. Unknown field numbers
/// are skipped as proto does; malformed input is an ApiError 400.
/// </summary>
public sealed class ProtobufTranscoder(ProtoSchemaSet schema)
{
    /// <summary>The envelope's magic prefix: "k8s" and a zero byte.</summary>
    public static ReadOnlySpan<byte> Magic => "k8s\0"u8;

    /// <summary>Deeper nesting is refused; real objects stay far below (PodSpec is about 10 levels).</summary>
    public const int MaxDepth = 64;

    private static readonly Lazy<ProtobufTranscoder> LazyDefault =
        new(() => new ProtobufTranscoder(ProtoSchemaSet.Parse(MetaTables.Text, CoreTables.Text, GroupTables.Text)));

    /// <summary>The transcoder over every table this project ships.</summary>
    public static ProtobufTranscoder Default => LazyDefault.Value;

    public ProtoSchemaSet Schema { get; } = schema;

    /// <summary>Decodes a whole request body: magic, runtime.Unknown, then the object message its TypeMeta names.</summary>
    public JsonObject DecodeEnvelope(ReadOnlySpan<byte> body) => DecodeEnvelope(body, 0);

    /// <summary>Decodes one message (by qualified table name, "core.Pod") without envelope or TypeMeta.</summary>
    public JsonObject DecodeMessage(string messageName, ReadOnlySpan<byte> data) => DecodeMessage(Schema.Message(messageName), data, 0);

    private JsonObject DecodeEnvelope(ReadOnlySpan<byte> body, int depth)
    {
        if (!body.StartsWith(Magic))
            throw ApiError.BadRequest("error decoding request body: the protobuf body does not start with the Kubernetes envelope prefix \"k8s\\x00\"");
        string apiVersion = "", kind = "", encoding = "";
        ReadOnlySpan<byte> raw = default;
        var reader = new ProtoWireReader(body[Magic.Length..]);
        while (reader.TryReadTag(out var number, out var wire))
        {
            switch (number)
            {
                case 1:
                    var typeMeta = new ProtoWireReader(reader.ReadBytes(wire, number));
                    while (typeMeta.TryReadTag(out var n, out var w))
                    {
                        if (n == 1) apiVersion = typeMeta.ReadString(w, n);
                        else if (n == 2) kind = typeMeta.ReadString(w, n);
                        else typeMeta.Skip(w);
                    }
                    break;
                case 2: raw = reader.ReadBytes(wire, number); break;
                case 3: encoding = reader.ReadString(wire, number); break;
                default: reader.Skip(wire); break;
            }
        }
        if (encoding.Length > 0)
            throw ApiError.BadRequest($"error decoding request body: protobuf contentEncoding \"{encoding}\" is not supported");
        if (kind.Length == 0) throw ApiError.BadRequest("error decoding request body: Object 'Kind' is missing in the protobuf envelope");
        var message = Schema.FindKind(apiVersion, kind)
            ?? throw ApiError.BadRequest($"error decoding request body: no kind \"{kind}\" is registered for version \"{apiVersion}\"");
        var result = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind };
        MoveInto(DecodeMessage(message, raw, depth + 1), result);
        return result;
    }

    private JsonObject DecodeMessage(ProtoMessage message, ReadOnlySpan<byte> data, int depth)
    {
        if (depth > MaxDepth) throw ProtoWireReader.Malformed($"messages nested deeper than {MaxDepth}");
        var obj = new JsonObject();
        var reader = new ProtoWireReader(data);
        while (reader.TryReadTag(out var number, out var wire))
        {
            if (!message.Fields.TryGetValue(number, out var field))
            {
                reader.Skip(wire);
                continue;
            }
            switch (field.Shape)
            {
                case FieldShape.Single:
                    var value = ReadValue(ref reader, wire, field, omitZero: !field.KeepZero, depth);
                    if (field.Inline && value is JsonObject inner) MoveInto(inner, obj);
                    else if (value is null) obj.Remove(field.JsonName);
                    else obj[field.JsonName] = value;
                    break;
                case FieldShape.Repeated:
                    var array = obj[field.JsonName] as JsonArray ?? new JsonArray();
                    obj[field.JsonName] = array;
                    if (wire == WireType.LengthDelimited && IsPackable(field.Type)) ReadPacked(ref reader, field, array);
                    else array.Add(ReadValue(ref reader, wire, field, omitZero: false, depth));
                    break;
                case FieldShape.Map:
                    var map = obj[field.JsonName] as JsonObject ?? new JsonObject();
                    obj[field.JsonName] = map;
                    var (key, entryValue) = ReadMapEntry(ref reader, wire, field, depth);
                    map[key] = entryValue;
                    break;
            }
        }
        return obj;
    }

    private JsonNode? ReadValue(ref ProtoWireReader reader, WireType wire, ProtoField field, bool omitZero, int depth)
    {
        switch (field.Type)
        {
            case ProtoType.String:
                var s = reader.ReadString(wire, field.Number);
                return omitZero && s.Length == 0 ? null : JsonValue.Create(s);
            case ProtoType.Bytes:
                var b = reader.ReadBytes(wire, field.Number);
                return omitZero && b.IsEmpty ? null : JsonValue.Create(Convert.ToBase64String(b));
            case ProtoType.Int32:
                var i = (int)(long)reader.ReadVarint(wire, field.Number);
                return omitZero && i == 0 ? null : JsonValue.Create(i);
            case ProtoType.Int64:
                var l = (long)reader.ReadVarint(wire, field.Number);
                return omitZero && l == 0 ? null : JsonValue.Create(l);
            case ProtoType.Bool:
                var flag = reader.ReadVarint(wire, field.Number) != 0;
                return omitZero && !flag ? null : JsonValue.Create(flag);
            case ProtoType.Double:
                if (wire != WireType.Fixed64) throw ProtoWireReader.WrongWireType(field.Number, wire);
                var d = BitConverter.Int64BitsToDouble((long)reader.ReadFixed64());
                return omitZero && d == 0 ? null : JsonValue.Create(d);
            default:
                return ReadSpecialOrMessage(reader.ReadBytes(wire, field.Number), field, depth);
        }
    }

    private JsonNode? ReadSpecialOrMessage(ReadOnlySpan<byte> data, ProtoField field, int depth) => field.Type switch
    {
        ProtoType.Message => DecodeMessage(Schema.Message(field.MessageName!), data, depth + 1),
        ProtoType.Time => ProtoSpecialTypes.Time(data, micro: false),
        ProtoType.MicroTime => ProtoSpecialTypes.Time(data, micro: true),
        ProtoType.IntOrString => ProtoSpecialTypes.IntOrString(data),
        ProtoType.Quantity => ProtoSpecialTypes.Quantity(data),
        ProtoType.RawExtension or ProtoType.FieldsV1 => EmbeddedValue(data, depth),
        ProtoType.StringList => ProtoSpecialTypes.StringList(data),
        var t => throw new InvalidOperationException($"unhandled protobuf type {t}"),
    };

    /// <summary>RawExtension/FieldsV1 {1 raw}: raw JSON, or (RawExtension only, in practice) a nested protobuf envelope.</summary>
    private JsonNode? EmbeddedValue(ReadOnlySpan<byte> data, int depth)
    {
        ReadOnlySpan<byte> raw = default;
        var r = new ProtoWireReader(data);
        while (r.TryReadTag(out var n, out var w))
        {
            if (n == 1) raw = r.ReadBytes(w, n);
            else r.Skip(w);
        }
        if (raw.IsEmpty) return null;
        if (raw.StartsWith(Magic)) return DecodeEnvelope(raw, depth + 1);
        try
        {
            return JsonNode.Parse(raw);
        }
        catch (JsonException e)
        {
            throw ApiError.BadRequest($"error decoding request body: embedded raw JSON is invalid: {e.Message}");
        }
    }

    private (string Key, JsonNode? Value) ReadMapEntry(ref ProtoWireReader reader, WireType wire, ProtoField field, int depth)
    {
        var entry = new ProtoWireReader(reader.ReadBytes(wire, field.Number));
        var key = "";
        JsonNode? value = null;
        var seen = false;
        while (entry.TryReadTag(out var n, out var w))
        {
            if (n == 1) key = entry.ReadString(w, n);
            else if (n == 2) { value = ReadValue(ref entry, w, field, omitZero: false, depth); seen = true; }
            else entry.Skip(w);
        }
        // A map entry without its value field carries the zero value of the value type.
        if (!seen) value = field.Type switch
        {
            ProtoType.String or ProtoType.Bytes => JsonValue.Create(""),
            ProtoType.Quantity => JsonValue.Create("0"),
            ProtoType.StringList => new JsonArray(),
            ProtoType.Message => new JsonObject(),
            _ => null,
        };
        return (key, value);
    }

    private static bool IsPackable(ProtoType t) => t is ProtoType.Int32 or ProtoType.Int64 or ProtoType.Bool or ProtoType.Double;

    /// <summary>Packed repeated scalars (proto3 style); Kubernetes writes them unpacked, but both are valid wire format.</summary>
    private static void ReadPacked(ref ProtoWireReader reader, ProtoField field, JsonArray array)
    {
        var packed = new ProtoWireReader(reader.ReadLengthDelimited());
        while (!packed.AtEnd)
        {
            array.Add(field.Type switch
            {
                ProtoType.Int32 => JsonValue.Create((int)(long)packed.ReadVarint()),
                ProtoType.Int64 => JsonValue.Create((long)packed.ReadVarint()),
                ProtoType.Bool => JsonValue.Create(packed.ReadVarint() != 0),
                _ => JsonValue.Create(BitConverter.Int64BitsToDouble((long)packed.ReadFixed64())),
            });
        }
    }

    private static void MoveInto(JsonObject from, JsonObject to)
    {
        foreach (var key in from.Select(p => p.Key).ToList())
        {
            var node = from[key];
            from.Remove(key);
            to[key] = node;
        }
    }
}
