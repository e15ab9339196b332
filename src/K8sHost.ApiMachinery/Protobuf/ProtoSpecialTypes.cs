using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Time;

namespace K8sHost.ApiMachinery.Protobuf;

/// <summary>
/// The apimachinery types whose JSON form is not their message shape: metav1.Time/MicroTime (a timestamp string),
/// intstr.IntOrString (a number or a string), resource.Quantity (a string) and ExtraValue (a bare array).
/// </summary>
internal static class ProtoSpecialTypes
{
    /// <summary>metav1.Time/MicroTime: the zero time is how Go writes an unset non-pointer Time; JSON has it as null.</summary>
    public static JsonNode? Time(ReadOnlySpan<byte> data, bool micro)
    {
        long seconds = 0, nanos = 0;
        var r = new ProtoWireReader(data);
        while (r.TryReadTag(out var n, out var w))
        {
            if (n == 1) seconds = (long)r.ReadVarint(w, n);
            else if (n == 2) nanos = (int)(long)r.ReadVarint(w, n);
            else r.Skip(w);
        }
        if (seconds == 0 && nanos == 0) return null;
        if (seconds < -62135596800 || seconds > 253402300799 || nanos is < 0 or > 999_999_999)
            throw ProtoWireReader.Malformed($"timestamp out of range ({seconds}s {nanos}ns)");
        var t = DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(nanos / 100);
        return JsonValue.Create(micro ? KubeTime.FormatMicro(t) : KubeTime.Format(t));
    }

    /// <summary>IntOrString {1 type, 2 intVal, 3 strVal}. An all-zero value is what Go writes when the field is unset.</summary>
    public static JsonNode? IntOrString(ReadOnlySpan<byte> data)
    {
        long type = 0;
        var intVal = 0;
        var strVal = "";
        var r = new ProtoWireReader(data);
        while (r.TryReadTag(out var n, out var w))
        {
            switch (n)
            {
                case 1: type = (long)r.ReadVarint(w, n); break;
                case 2: intVal = (int)(long)r.ReadVarint(w, n); break;
                case 3: strVal = r.ReadString(w, n); break;
                default: r.Skip(w); break;
            }
        }
        if (type == 1) return JsonValue.Create(strVal);
        return type == 0 && intVal == 0 ? null : JsonValue.Create(intVal);
    }

    public static JsonNode Quantity(ReadOnlySpan<byte> data)
    {
        var text = "";
        var r = new ProtoWireReader(data);
        while (r.TryReadTag(out var n, out var w))
        {
            if (n == 1) text = r.ReadString(w, n);
            else r.Skip(w);
        }
        return JsonValue.Create(text.Length == 0 ? "0" : text);
    }

    public static JsonArray StringList(ReadOnlySpan<byte> data)
    {
        var items = new JsonArray();
        var r = new ProtoWireReader(data);
        while (r.TryReadTag(out var n, out var w))
        {
            if (n == 1) items.Add(JsonValue.Create(r.ReadString(w, n)));
            else r.Skip(w);
        }
        return items;
    }
}
