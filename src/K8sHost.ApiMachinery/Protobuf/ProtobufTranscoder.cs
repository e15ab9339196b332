using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;
using K8sHost.ApiMachinery.Protobuf.Schemas;
using K8sHost.ApiMachinery.Time;

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
                    var typeMeta = new ProtoWireReader(Expect(ref reader, wire, number));
                    while (typeMeta.TryReadTag(out var n, out var w))
                    {
                        if (n == 1) apiVersion = Utf8(ref typeMeta, w, n);
                        else if (n == 2) kind = Utf8(ref typeMeta, w, n);
                        else typeMeta.Skip(w);
                    }
                    break;
                case 2: raw = Expect(ref reader, wire, number); break;
                case 3: encoding = Utf8(ref reader, wire, number); break;
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
                var s = Utf8(ref reader, wire, field.Number);
                return omitZero && s.Length == 0 ? null : JsonValue.Create(s);
            case ProtoType.Bytes:
                var b = Expect(ref reader, wire, field.Number);
                return omitZero && b.IsEmpty ? null : JsonValue.Create(Convert.ToBase64String(b));
            case ProtoType.Int32:
                var i = (int)(long)ExpectVarint(ref reader, wire, field.Number);
                return omitZero && i == 0 ? null : JsonValue.Create(i);
            case ProtoType.Int64:
                var l = (long)ExpectVarint(ref reader, wire, field.Number);
                return omitZero && l == 0 ? null : JsonValue.Create(l);
            case ProtoType.Bool:
                var flag = ExpectVarint(ref reader, wire, field.Number) != 0;
                return omitZero && !flag ? null : JsonValue.Create(flag);
            case ProtoType.Double:
                if (wire != WireType.Fixed64) throw WrongWire(field.Number, wire);
                var d = BitConverter.Int64BitsToDouble((long)reader.ReadFixed64());
                return omitZero && d == 0 ? null : JsonValue.Create(d);
            default:
                return ReadSpecialOrMessage(Expect(ref reader, wire, field.Number), field, depth);
        }
    }

    private JsonNode? ReadSpecialOrMessage(ReadOnlySpan<byte> data, ProtoField field, int depth) => field.Type switch
    {
        ProtoType.Message => DecodeMessage(Schema.Message(field.MessageName!), data, depth + 1),
        ProtoType.Time => TimeValue(data, micro: false),
        ProtoType.MicroTime => TimeValue(data, micro: true),
        ProtoType.IntOrString => IntOrStringValue(data),
        ProtoType.Quantity => QuantityValue(data),
        ProtoType.RawExtension or ProtoType.FieldsV1 => EmbeddedValue(data, depth),
        ProtoType.StringList => StringListValue(data),
        var t => throw new InvalidOperationException($"unhandled protobuf type {t}"),
    };

    /// <summary>metav1.Time/MicroTime: the zero time is how Go writes an unset non-pointer Time; JSON has it as null.</summary>
    private static JsonNode? TimeValue(ReadOnlySpan<byte> data, bool micro)
    {
        long seconds = 0, nanos = 0;
        var r = new ProtoWireReader(data);
        while (r.TryReadTag(out var n, out var w))
        {
            if (n == 1) seconds = (long)ExpectVarint(ref r, w, n);
            else if (n == 2) nanos = (int)(long)ExpectVarint(ref r, w, n);
            else r.Skip(w);
        }
        if (seconds == 0 && nanos == 0) return null;
        if (seconds < -62135596800 || seconds > 253402300799 || nanos is < 0 or > 999_999_999)
            throw ProtoWireReader.Malformed($"timestamp out of range ({seconds}s {nanos}ns)");
        var t = DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(nanos / 100);
        return JsonValue.Create(micro ? KubeTime.FormatMicro(t) : KubeTime.Format(t));
    }

    /// <summary>IntOrString {1 type, 2 intVal, 3 strVal}. An all-zero value is what Go writes when the field is unset.</summary>
    private static JsonNode? IntOrStringValue(ReadOnlySpan<byte> data)
    {
        long type = 0;
        var intVal = 0;
        var strVal = "";
        var r = new ProtoWireReader(data);
        while (r.TryReadTag(out var n, out var w))
        {
            switch (n)
            {
                case 1: type = (long)ExpectVarint(ref r, w, n); break;
                case 2: intVal = (int)(long)ExpectVarint(ref r, w, n); break;
                case 3: strVal = Utf8(ref r, w, n); break;
                default: r.Skip(w); break;
            }
        }
        if (type == 1) return JsonValue.Create(strVal);
        return type == 0 && intVal == 0 ? null : JsonValue.Create(intVal);
    }

    private static JsonNode QuantityValue(ReadOnlySpan<byte> data)
    {
        var text = "";
        var r = new ProtoWireReader(data);
        while (r.TryReadTag(out var n, out var w))
        {
            if (n == 1) text = Utf8(ref r, w, n);
            else r.Skip(w);
        }
        return JsonValue.Create(text.Length == 0 ? "0" : text);
    }

    /// <summary>RawExtension/FieldsV1 {1 raw}: raw JSON, or (RawExtension only, in practice) a nested protobuf envelope.</summary>
    private JsonNode? EmbeddedValue(ReadOnlySpan<byte> data, int depth)
    {
        ReadOnlySpan<byte> raw = default;
        var r = new ProtoWireReader(data);
        while (r.TryReadTag(out var n, out var w))
        {
            if (n == 1) raw = Expect(ref r, w, n);
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

    private static JsonArray StringListValue(ReadOnlySpan<byte> data)
    {
        var items = new JsonArray();
        var r = new ProtoWireReader(data);
        while (r.TryReadTag(out var n, out var w))
        {
            if (n == 1) items.Add(JsonValue.Create(Utf8(ref r, w, n)));
            else r.Skip(w);
        }
        return items;
    }

    private (string Key, JsonNode? Value) ReadMapEntry(ref ProtoWireReader reader, WireType wire, ProtoField field, int depth)
    {
        var entry = new ProtoWireReader(Expect(ref reader, wire, field.Number));
        var key = "";
        JsonNode? value = null;
        var seen = false;
        while (entry.TryReadTag(out var n, out var w))
        {
            if (n == 1) key = Utf8(ref entry, w, n);
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

    private static ReadOnlySpan<byte> Expect(scoped ref ProtoWireReader reader, WireType wire, int number) =>
        wire == WireType.LengthDelimited ? reader.ReadLengthDelimited() : throw WrongWire(number, wire);

    private static ulong ExpectVarint(ref ProtoWireReader reader, WireType wire, int number) =>
        wire == WireType.Varint ? reader.ReadVarint() : throw WrongWire(number, wire);

    private static string Utf8(ref ProtoWireReader reader, WireType wire, int number) => Encoding.UTF8.GetString(Expect(ref reader, wire, number));

    private static ApiError WrongWire(int number, WireType wire) =>
        ProtoWireReader.Malformed($"field {number} has wire type {(int)wire}, which its type does not allow");
}
