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
    public static byte[] ToStoredBytes(JsonObject obj) => Cache.StoredJson.Write(obj, out _, out _);

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

    /// <summary>
    /// The revision a write's metadata.resourceVersion pins, or null for an unconditional write. As kube-apiserver, "0"
    /// (what a client sends for an object it read from a zero-valued struct) is no precondition: only a real revision is.
    /// </summary>
    public static long? Precondition(string? rv) => ParseRevision(rv) is long n and not 0 ? n : null;

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
