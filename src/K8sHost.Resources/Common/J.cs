using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace K8sHost.Resources.Common;

/// <summary>
/// Tolerant readers over JsonObject paths. Objects reach strategies already pruned to the schema, but values may be
/// of a surprising JSON kind (a number where a string was expected); readers return null instead of throwing.
/// </summary>
internal static class J
{
    public static JsonNode? At(JsonNode? node, params string[] path)
    {
        foreach (var p in path)
        {
            if (node is not JsonObject o) return null;
            node = o[p];
        }
        return node;
    }

    public static string? Str(JsonNode? node, params string[] path) =>
        At(node, path) is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    /// <summary>The string, or "" when missing.</summary>
    public static string S(JsonNode? node, params string[] path) => Str(node, path) ?? "";

    public static long? Long(JsonNode? node, params string[] path) =>
        At(node, path) is JsonValue v && v.GetValueKind() == JsonValueKind.Number &&
        long.TryParse(v.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? l : null;

    public static bool Bool(JsonNode? node, params string[] path) =>
        At(node, path) is JsonValue v && v.GetValueKind() == JsonValueKind.True;

    public static JsonObject? Obj(JsonNode? node, params string[] path) => At(node, path) as JsonObject;

    /// <summary>Array elements that are objects; empty when missing.</summary>
    public static IReadOnlyList<JsonObject> Objs(JsonNode? node, params string[] path) =>
        At(node, path) is JsonArray a ? a.OfType<JsonObject>().ToList() : [];

    /// <summary>String elements of an array; empty when missing.</summary>
    public static IReadOnlyList<string> Strs(JsonNode? node, params string[] path) =>
        At(node, path) is JsonArray a
            ? a.OfType<JsonValue>().Where(v => v.GetValueKind() == JsonValueKind.String).Select(v => v.GetValue<string>()).ToList()
            : [];

    /// <summary>The child object at <paramref name="key"/>, created when missing or not an object.</summary>
    public static JsonObject Ensure(JsonObject o, string key)
    {
        if (o[key] is JsonObject c) return c;
        c = new JsonObject();
        o[key] = c;
        return c;
    }

    /// <summary>Sets <paramref name="key"/> only when it is absent or null (Go zero-value defaulting).</summary>
    public static void Default(JsonObject o, string key, JsonNode value)
    {
        if (o[key] is null) o[key] = value;
    }

    /// <summary>Sets a string field only when it is absent, null or "" (Go defaults empty strings too).</summary>
    public static void DefaultStr(JsonObject o, string key, string value)
    {
        if (string.IsNullOrEmpty(Str(o, key))) o[key] = value;
    }

    public static string? Name(JsonObject obj) => Str(obj, "metadata", "name");

    public static string? Namespace(JsonObject obj) => Str(obj, "metadata", "namespace");
}
