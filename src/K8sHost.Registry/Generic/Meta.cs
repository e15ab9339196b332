using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace K8sHost.Registry.Generic;

/// <summary>Small accessors for metadata fields of an object held as a JsonObject.</summary>
internal static class Meta
{
    public static JsonObject Of(JsonObject obj)
    {
        if (obj["metadata"] is JsonObject m) return m;
        var created = new JsonObject();
        obj["metadata"] = created;
        return created;
    }

    public static string? Str(JsonObject? o, string field) =>
        o?[field] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static string? Str(JsonObject obj, string section, string field) => Str(obj[section] as JsonObject, field);

    public static long Long(JsonNode? n) =>
        n is JsonValue v && long.TryParse(v.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? l : 0;

    public static string? ResourceVersion(JsonObject obj) => Str(obj, "metadata", "resourceVersion");

    public static IReadOnlyList<string> Finalizers(JsonObject obj) =>
        (obj["metadata"]?["finalizers"] as JsonArray)?.Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : "").ToList() ?? [];

    public static bool IsBeingDeleted(JsonObject obj) => Str(obj, "metadata", "deletionTimestamp") is { Length: > 0 };

    /// <summary>The bytes the store keeps: the object without resourceVersion (the store's ModRevision is the truth).</summary>
    /// <remarks>
    /// Writes the object directly, leaving those metadata fields out, instead of serializing a trimmed deep copy: the
    /// bytes are identical and the copy of a whole object per write was a large share of a create's CPU and garbage.
    /// </remarks>
    public static byte[] ToStoredBytes(JsonObject obj)
    {
        var options = Cache.ServedJson.Options;
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = options.Encoder, MaxDepth = options.MaxDepth == 0 ? 64 : options.MaxDepth }))
        {
            w.WriteStartObject();
            foreach (var (name, value) in obj)
            {
                w.WritePropertyName(name);
                if (name == "metadata" && value is JsonObject m)
                {
                    w.WriteStartObject();
                    foreach (var (field, v) in m)
                    {
                        if (field is "resourceVersion" or "selfLink") continue;
                        w.WritePropertyName(field);
                        WriteValue(w, v, options);
                    }
                    w.WriteEndObject();
                }
                else WriteValue(w, value, options);
            }
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteValue(Utf8JsonWriter w, JsonNode? value, JsonSerializerOptions options)
    {
        if (value is null) w.WriteNullValue();
        else value.WriteTo(w, options);
    }

    public static JsonObject Parse(byte[] stored, long revision)
    {
        var obj = JsonNode.Parse(stored)!.AsObject();
        Of(obj)["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture);
        return obj;
    }

    public static long? ParseRevision(string? rv, string what = "resourceVersion")
    {
        if (string.IsNullOrEmpty(rv)) return null;
        if (long.TryParse(rv, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 0) return n;
        throw K8sHost.ApiMachinery.Errors.ApiError.BadRequest($"invalid {what}: \"{rv}\" is not a valid resource version");
    }

    /// <summary>Same content, ignoring resourceVersion: a write that would store this changes nothing.</summary>
    public static bool SameContent(JsonObject a, JsonObject b)
    {
        var x = (JsonObject)a.DeepClone();
        var y = (JsonObject)b.DeepClone();
        (x["metadata"] as JsonObject)?.Remove("resourceVersion");
        (y["metadata"] as JsonObject)?.Remove("resourceVersion");
        return JsonNode.DeepEquals(x, y);
    }
}
