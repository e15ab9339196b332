using System.Text.Encodings.Web;
using System.Text.Json;

namespace K8sHost.Registry.Cache;

/// <summary>
/// Serializer settings for stored and served objects. The default encoder writes '"' inside strings as \u0022 and
/// every non-ASCII character as \uXXXX (valid, but bigger and unlike kube-apiserver); bodies are JSON, never HTML.
/// </summary>
internal static class ServedJson
{
    public static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
