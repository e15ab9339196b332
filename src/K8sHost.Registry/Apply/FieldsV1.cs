using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Patch;
using K8sHost.ApiMachinery.Schema;

namespace K8sHost.Registry.Apply;

/// <summary>
/// The FieldsV1 form of a field set ({"f:spec":{"f:containers":{"k:{\"name\":\"x\"}":{".":{},"f:image":{}}}}}) and
/// its leaves as kube-apiserver prints them in conflicts (.spec.containers[name="x"].image). Lists with a patch merge
/// key are keyed per item; other lists and scalars are leaves.
/// </summary>
internal static class FieldsV1
{
    /// <summary>Fields an applied configuration sets; identity fields are not owned by anyone.</summary>
    public static JsonObject FromApplied(JsonObject applied, Type modelType, Dictionary<string, JsonNode?> leaves)
    {
        var copy = (JsonObject)applied.DeepClone();
        copy.Remove("apiVersion");
        copy.Remove("kind");
        if (copy["metadata"] is JsonObject meta)
        {
            foreach (var f in new[] { "name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields",
                         "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink", "generateName" })
                meta.Remove(f);
            if (meta.Count == 0) copy.Remove("metadata");
        }
        return Build(copy, SchemaNode.For(modelType), "", leaves);
    }

    /// <summary>Leaf values of a live object, by the same paths (used to tell a real conflict from an agreeing value).</summary>
    public static Dictionary<string, JsonNode?> LeavesOf(JsonObject obj, Type modelType)
    {
        var leaves = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        Build(obj, SchemaNode.For(modelType), "", leaves);
        return leaves;
    }

    private static JsonObject Build(JsonObject obj, SchemaNode? schema, string path, Dictionary<string, JsonNode?> leaves)
    {
        var node = new JsonObject();
        foreach (var (k, v) in obj)
        {
            var childPath = path + "." + k;
            var childSchema = schema?.Kind == SchemaKind.Object ? schema.Field(k) : schema?.Kind == SchemaKind.Map ? schema.Element : null;
            var mergeKey = schema?.Kind == SchemaKind.Object ? PatchMergeKeys.Lookup(schema.ClrType, k)?.MergeKey : null;
            if (v is JsonObject o && o.Count > 0 && childSchema?.Kind is SchemaKind.Object or SchemaKind.Map)
            {
                node["f:" + k] = Build(o, childSchema, childPath, leaves);
            }
            else if (v is JsonArray a && mergeKey is not null && a.Count > 0 && a.All(i => i is JsonObject io && io[mergeKey] is JsonValue))
            {
                var list = new JsonObject();
                foreach (var item in a.Cast<JsonObject>())
                {
                    var keyValue = item[mergeKey]!;
                    var itemNode = new JsonObject { ["."] = new JsonObject() };
                    foreach (var (ik, iv) in Build(item, childSchema?.Element, $"{childPath}[{mergeKey}={keyValue.ToJsonString()}]", leaves))
                        itemNode[ik] = iv?.DeepClone();
                    list["k:" + new JsonObject { [mergeKey] = keyValue.DeepClone() }.ToJsonString()] = itemNode;
                }
                node["f:" + k] = list;
            }
            else
            {
                node["f:" + k] = new JsonObject();
                leaves[childPath] = v?.DeepClone();
            }
        }
        return node;
    }

    /// <summary>Leaf paths of a FieldsV1 tree.</summary>
    public static HashSet<string> LeafPaths(JsonObject? fields)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        if (fields is not null) Walk(fields, "", result);
        return result;
    }

    private static void Walk(JsonObject node, string path, HashSet<string> result)
    {
        foreach (var (k, v) in node)
        {
            if (k == ".") continue;
            var child = path + Segment(k);
            if (v is JsonObject o && o.Any(p => p.Key != ".")) Walk(o, child, result);
            else result.Add(child);
        }
    }

    /// <summary>Removes the given leaf paths; containers left empty disappear. Returns null when nothing is left.</summary>
    public static JsonObject? Without(JsonObject fields, IReadOnlySet<string> remove) => Prune(fields, "", remove);

    private static JsonObject? Prune(JsonObject node, string path, IReadOnlySet<string> remove)
    {
        var result = new JsonObject();
        foreach (var (k, v) in node)
        {
            if (k == ".") continue;
            var child = path + Segment(k);
            if (v is JsonObject o && o.Any(p => p.Key != "."))
            {
                var kept = Prune(o, child, remove);
                if (kept is null) continue;
                if (o.ContainsKey(".")) kept.Insert(0, ".", new JsonObject());
                result[k] = kept;
            }
            else if (!remove.Contains(child)) result[k] = v?.DeepClone();
        }
        return result.Count == 0 ? null : result;
    }

    /// <summary>
    /// Removes from <paramref name="obj"/> the fields a manager applied before (<paramref name="previous"/>) but no
    /// longer applies (<paramref name="applied"/>), unless another manager still owns them: how apply deletes fields.
    /// </summary>
    public static void RemoveDropped(JsonObject obj, JsonObject previous, JsonObject applied, IReadOnlySet<string> ownedByOthers) =>
        Drop(obj, previous, applied, "", ownedByOthers);

    private static void Drop(JsonNode? target, JsonObject prev, JsonObject? applied, string path, IReadOnlySet<string> others)
    {
        foreach (var (k, v) in prev.ToList())
        {
            if (k == ".") continue;
            var childPath = path + Segment(k);
            var appliedChild = applied?[k] as JsonObject;
            var prevChild = v as JsonObject ?? new JsonObject();
            var isLeaf = !prevChild.Any(p => p.Key != ".");
            if (appliedChild is not null && isLeaf) continue;
            var heldByOthers = others.Any(o => o == childPath || o.StartsWith(childPath + ".", StringComparison.Ordinal) ||
                                               o.StartsWith(childPath + "[", StringComparison.Ordinal));
            if (appliedChild is null && !heldByOthers)
            {
                RemoveChild(target, k);
                continue;
            }
            if (!isLeaf) Drop(Child(target, k), prevChild, appliedChild, childPath, others);
        }
    }

    private static JsonNode? Child(JsonNode? target, string key)
    {
        if (key.StartsWith("f:", StringComparison.Ordinal)) return (target as JsonObject)?[key[2..]];
        return target is JsonArray a ? FindItem(a, key) : null;
    }

    private static void RemoveChild(JsonNode? target, string key)
    {
        if (key.StartsWith("f:", StringComparison.Ordinal)) (target as JsonObject)?.Remove(key[2..]);
        else if (target is JsonArray a && FindItem(a, key) is { } item) a.Remove(item);
    }

    private static JsonObject? FindItem(JsonArray list, string key)
    {
        if (!key.StartsWith("k:", StringComparison.Ordinal) || JsonNode.Parse(key[2..]) is not JsonObject k) return null;
        return list.OfType<JsonObject>().FirstOrDefault(item => k.All(p => JsonNode.DeepEquals(item[p.Key], p.Value)));
    }

    /// <summary>Union of two FieldsV1 trees (either may be null).</summary>
    public static JsonObject? Merge(JsonObject? a, JsonObject? b)
    {
        if (a is null) return (JsonObject?)b?.DeepClone();
        if (b is null) return (JsonObject)a.DeepClone();
        var result = (JsonObject)a.DeepClone();
        foreach (var (k, v) in b)
        {
            if (result[k] is JsonObject existing && v is JsonObject incoming) result[k] = Merge(existing, incoming);
            else if (!result.ContainsKey(k)) result[k] = v?.DeepClone();
        }
        return result;
    }

    private static string Segment(string key)
    {
        if (key.StartsWith("f:", StringComparison.Ordinal)) return "." + key[2..];
        if (key.StartsWith("k:", StringComparison.Ordinal) && JsonNode.Parse(key[2..]) is JsonObject k)
            return "[" + string.Join(",", k.Select(p => $"{p.Key}={p.Value?.ToJsonString()}")) + "]";
        return "[" + key + "]";
    }
}
