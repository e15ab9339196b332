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
        // One scratch buffer and writer per thread: only the final array is allocated per write.
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(8192);
        buffer.ResetWrittenCount();
        var w = t_writer ??= new Utf8JsonWriter(buffer, WriterOptions);
        w.Reset(buffer);
        metadataEnd = -1;
        metadataEmpty = true;
        try
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
            w.Flush();
            return buffer.WrittenSpan.ToArray();
        }
        finally
        {
            // A huge object must not pin its buffer to the thread for good.
            if (buffer.Capacity > 1 << 20) t_buffer = null;
        }
    }

    // The same writer settings JsonSerializer derives from the options, so the bytes match its output exactly.
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = ServedJson.Options.Encoder,
        MaxDepth = ServedJson.Options.MaxDepth == 0 ? 64 : ServedJson.Options.MaxDepth,
    };

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    private static void WriteValue(Utf8JsonWriter w, JsonNode? value, JsonSerializerOptions options)
    {
        if (value is null) w.WriteNullValue();
        else value.WriteTo(w, options);
    }
}
