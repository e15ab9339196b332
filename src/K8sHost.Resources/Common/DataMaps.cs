using System.Text;
using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;

namespace K8sHost.Resources.Common;

/// <summary>Rules configmaps and secrets share: key syntax, the 1 MiB total and the `immutable` flag.</summary>
internal static class DataMaps
{
    public const int MaxBytes = 1024 * 1024;

    public static IEnumerable<FieldError> Keys(string field, JsonObject? map)
    {
        foreach (var (k, _) in map ?? []) foreach (var e in Checks.DataKey($"{field}[{k}]", k)) yield return e;
    }

    /// <summary>Once `immutable: true` is stored, neither the data nor the flag may change.</summary>
    public static IEnumerable<FieldError> Immutable(JsonObject obj, JsonObject old, params string[] dataFields)
    {
        if (!J.Bool(old, "immutable")) yield break;
        if (!J.Bool(obj, "immutable")) yield return FieldError.Forbidden("immutable", "field is immutable when `immutable` is set");
        foreach (var f in dataFields)
            if (!JsonNode.DeepEquals(obj[f] is JsonObject { Count: 0 } ? null : obj[f], old[f] is JsonObject { Count: 0 } ? null : old[f]))
                yield return FieldError.Forbidden(f, "field is immutable when `immutable` is set");
    }

    public static long Utf8Size(JsonObject? map) =>
        (map ?? []).Sum(p => (long)Encoding.UTF8.GetByteCount(p.Key) + Encoding.UTF8.GetByteCount(J.Str(p.Value) ?? ""));
}
