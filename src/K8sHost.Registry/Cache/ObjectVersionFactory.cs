using System.Text.Json;
using System.Text.Json.Nodes;
using K8sHost.Registry.Catalog;
using K8sHost.Registry.Contracts;

namespace K8sHost.Registry.Cache;

/// <summary>
/// Builds the one served form of a stored object: stored bytes never carry resourceVersion, so it is stamped here,
/// the result serialized once, and labels plus selectable fields computed once for every reader and watcher.
/// </summary>
public static class ObjectVersionFactory
{
    private static readonly IReadOnlyDictionary<string, string> NoLabels = new Dictionary<string, string>();

    public static ObjectVersion FromStored(ParsedKey pk, string key, byte[] stored, long revision) =>
        FromObject(pk.Descriptor, key, JsonNode.Parse(stored)!.AsObject(), revision);

    /// <summary>Stamps <paramref name="obj"/> (mutated) with <paramref name="revision"/> and freezes it. Revision 0 (a dry-run
    /// create) leaves resourceVersion out, as kube-apiserver does.</summary>
    public static ObjectVersion FromObject(ResourceDescriptor d, string key, JsonObject obj, long revision)
    {
        var meta = obj["metadata"] as JsonObject;
        if (meta is null) obj["metadata"] = meta = new JsonObject();
        if (revision > 0) meta["resourceVersion"] = revision.ToString(System.Globalization.CultureInfo.InvariantCulture);
        else meta.Remove("resourceVersion");
        var json = JsonSerializer.SerializeToUtf8Bytes(obj, ServedJson.Options);
        var name = meta["name"]?.GetValue<string>() ?? "";
        var ns = d.Namespaced ? meta["namespace"]?.GetValue<string>() ?? "" : null;
        return new ObjectVersion(key, ns, name, revision, json, LabelsOf(meta), FieldsOf(d, obj, name, ns));
    }

    /// <summary>A deleted object as watchers see it: its last content with the delete's revision.</summary>
    public static ObjectVersion Tombstone(ResourceDescriptor d, ObjectVersion last, long deleteRevision) =>
        FromObject(d, last.Key, last.ToJsonObject(), deleteRevision);

    private static IReadOnlyDictionary<string, string> LabelsOf(JsonObject meta)
    {
        if (meta["labels"] is not JsonObject labels || labels.Count == 0) return NoLabels;
        var result = new Dictionary<string, string>(labels.Count, StringComparer.Ordinal);
        foreach (var (k, v) in labels)
            if (v is JsonValue jv && jv.TryGetValue<string>(out var s)) result[k] = s;
        return result;
    }

    private static IReadOnlyDictionary<string, string> FieldsOf(ResourceDescriptor d, JsonObject obj, string name, string? ns)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in d.Strategy.GetFields(obj)) result[k] = v;
        result["metadata.name"] = name;
        if (ns is not null) result["metadata.namespace"] = ns;
        return result;
    }
}
