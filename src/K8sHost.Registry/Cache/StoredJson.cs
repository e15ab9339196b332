using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace K8sHost.Registry.Cache;

/// <summary>
/// The bytes the store keeps for an object: the object without metadata.resourceVersion (the store's ModRevision is the
/// truth) and without selfLink, written straight from the DOM (no trimmed deep copy per write). Also reports where the
/// metadata object closes, so the served form can be made by inserting resourceVersion there instead of re-parsing.
/// </summary>
internal static class StoredJson
{
    /// <summary>Serialized bytes; <paramref name="metadataEnd"/> is the offset of metadata's closing brace (-1 when the
    /// object has no metadata object) and <paramref name="metadataEmpty"/> whether it holds no field.</summary>
    public static byte[] Write(JsonObject obj, out int metadataEnd, out bool metadataEmpty)
    {
        var options = ServedJson.Options;
        var buffer = new ArrayBufferWriter<byte>(4096);
        metadataEnd = -1;
        metadataEmpty = true;
        // The same writer settings JsonSerializer derives from the options, so the bytes match its output exactly.
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
                        metadataEmpty = false;
                    }
                    w.Flush();
                    metadataEnd = buffer.WrittenCount;
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
}
