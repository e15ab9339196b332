using System.Text.Json;

namespace K8sHost.Api.Responses;

/// <summary>Reads pieces out of cached object bytes without building a tree.</summary>
public static class JsonSlices
{
    /// <summary>The raw bytes of a top-level property of a JSON object, or empty when absent.</summary>
    public static ReadOnlyMemory<byte> TopLevelProperty(byte[] json, ReadOnlySpan<byte> name)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 256 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return ReadOnlyMemory<byte>.Empty;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var match = reader.ValueTextEquals(name);
            reader.Read();
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            if (match) return json.AsMemory(start, (int)reader.BytesConsumed - start);
        }
        return ReadOnlyMemory<byte>.Empty;
    }
}
