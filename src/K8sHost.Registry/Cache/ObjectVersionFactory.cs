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
        var ns = d.Namespaced ? StringPool.Intern(meta["namespace"]?.GetValue<string>() ?? "") : null;
        return new ObjectVersion(key, ns, name, revision, json, LabelsOf(meta), FieldsOf(d, obj, name, ns));
    }

    /// <summary>
    /// The stored bytes of <paramref name="storedObj"/> (a storage-shaped object about to be written) and, when it has a
    /// metadata object, what its cached version will hold, computed from the object in hand.
    /// </summary>
    internal static byte[] Prepare(ResourceDescriptor storage, string key, JsonObject storedObj, out PreparedVersion? prepared)
    {
        var bytes = StoredJson.Write(storedObj, out var metadataEnd, out var metadataEmpty);
        prepared = null;
        if (metadataEnd < 0 || storedObj["metadata"] is not JsonObject meta) return bytes;
        try
        {
            var name = meta["name"]?.GetValue<string>() ?? "";
            var ns = storage.Namespaced ? StringPool.Intern(meta["namespace"]?.GetValue<string>() ?? "") : null;
            prepared = new PreparedVersion(key, bytes, metadataEnd, metadataEmpty, ns, name, LabelsOf(meta), FieldsOf(storage, storedObj, name, ns));
        }
        catch (Exception)
        {
            // Whatever this object's oddity (a field of an unexpected JSON type, a strategy that cannot read it), the write
            // proceeds exactly as without the shortcut: the cache decodes the stored bytes itself.
            prepared = null;
        }
        return bytes;
    }

    /// <summary>A deleted object as watchers see it: its last content with the delete's revision.</summary>
    public static ObjectVersion Tombstone(ResourceDescriptor d, ObjectVersion last, long deleteRevision) =>
        FromObject(d, last.Key, last.ToJsonObject(), deleteRevision);

    // Compact and interned: a cached version lives as long as its object, and most label keys and values repeat.
    private static IReadOnlyDictionary<string, string> LabelsOf(JsonObject meta)
    {
        if (meta["labels"] is not JsonObject labels || labels.Count == 0) return LabelMap.Empty;
        var pairs = new List<string>(labels.Count * 2);
        foreach (var (k, v) in labels)
            if (v is JsonValue jv && jv.TryGetValue<string>(out var s))
            {
                pairs.Add(StringPool.Intern(k));
                pairs.Add(StringPool.Intern(s));
            }
        return pairs.Count == 0 ? LabelMap.Empty : new LabelMap([.. pairs]);
    }

    // Same semantics as filling a Dictionary in this order (a repeated name keeps its first position and its last value),
    // stored as values aligned to the kind's shared name layout.
    private static IReadOnlyDictionary<string, string> FieldsOf(ResourceDescriptor d, JsonObject obj, string name, string? ns)
    {
        var names = new List<string>(12);
        var values = new List<string>(12);
        void Set(string k, string v)
        {
            var i = names.IndexOf(k);
            if (i >= 0) values[i] = v;
            else
            {
                names.Add(k);
                values.Add(v);
            }
        }
        foreach (var (k, v) in d.Strategy.GetFields(obj)) Set(k, v is null ? v! : StringPool.Intern(v));
        Set("metadata.name", name);
        if (ns is not null) Set("metadata.namespace", ns);
        return new FieldMap(FieldLayout.For(d, names), [.. values]);
    }
}
