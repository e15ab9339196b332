using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace K8sHost.ApiMachinery.Json;

/// <summary>
/// The one set of JSON settings for everything the server writes: stored objects, served objects, lists, watch events,
/// tables and Status bodies. One encoder, so an error message reads byte for byte like the object it talks about
/// (kube-apiserver writes '"' as \" and non-ASCII text as UTF-8, not \u0022 / \uXXXX as the default encoder does);
/// one depth limit, so nothing the parser accepts is something a writer or reader downstream refuses.
/// </summary>
public static class WireJson
{
    /// <summary>
    /// The nesting every writer and re-reader of stored objects supports: System.Text.Json's default (64), which the
    /// cache, the registry and the controllers use when they parse stored bytes. Request bodies are held to
    /// <see cref="JsonBody.MaxDepth"/>, lower by the levels the server itself nests around client values.
    /// </summary>
    public const int MaxDepth = 64;

    /// <summary>Bodies are JSON, never HTML: only what JSON requires is escaped.</summary>
    public static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    public static readonly JsonSerializerOptions Options = new() { Encoder = Encoder, MaxDepth = MaxDepth };

    /// <summary>Writer settings for hand-written bodies (lists, tables, watch lines); the same encoder as <see cref="Options"/>.</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = Encoder, SkipValidation = true };

    public static byte[] Serialize(JsonNode node) => JsonSerializer.SerializeToUtf8Bytes(node, Options);

    public static string ToText(JsonNode node) => node.ToJsonString(Options);
}
