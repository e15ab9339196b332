using System.Text.Json;
using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;
using K8sHost.ApiMachinery.Json;
using K8sHost.ApiMachinery.Schema;

namespace K8sHost.ApiMachinery.Patch;

/// <summary>
/// Strategic merge patch (application/strategic-merge-patch+json) for built-in kinds: maps merge, lists with a
/// patch merge key (see <see cref="PatchMergeKeys"/>) merge element-wise, other lists are replaced, null deletes.
/// Directives: "$patch: replace|delete|merge" on maps and list elements, "$retainKeys",
/// "$setElementOrder/&lt;list&gt;" and "$deleteFromPrimitiveList/&lt;list&gt;". Directives never reach the result.
/// </summary>
public static class StrategicMergePatch
{
    private const string PatchDirective = "$patch";
    private const string RetainKeysDirective = "$retainKeys";
    private const string SetElementOrderPrefix = "$setElementOrder/";
    private const string DeleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList/";

    public static JsonObject Apply(JsonObject target, ReadOnlySpan<byte> patch, Type modelType)
    {
        var doc = JsonBody.ParseAny(patch);
        if (doc is not JsonObject p) throw ApiError.BadRequest("invalid JSON document: a strategic merge patch must be a JSON object");
        return Apply(target, p, modelType);
    }

    public static JsonObject Apply(JsonObject target, JsonObject patch, Type modelType)
    {
        var original = (JsonObject)target.DeepClone();
        return MergeMap(original, (JsonObject)patch.DeepClone(), SchemaNode.For(modelType)) ?? new JsonObject();
    }

    /// <summary>Merges <paramref name="patch"/> into <paramref name="original"/> in place; null means "delete this map".</summary>
    private static JsonObject? MergeMap(JsonObject original, JsonObject patch, SchemaNode? schema)
    {
        if (patch.ContainsKey(PatchDirective))
        {
            var directive = DirectiveText(patch[PatchDirective]);
            patch.Remove(PatchDirective);
            switch (directive)
            {
                case "replace":
                    return MergeMap(new JsonObject(), patch, schema);
                case "delete":
                    return null;
                case "merge":
                    break;
                default:
                    throw ApiError.BadRequest($"unknown patch type: {directive} in map: {patch.ToJsonString()}");
            }
        }

        ApplyRetainKeys(original, patch);

        var orders = new Dictionary<string, JsonArray>(StringComparer.Ordinal);
        foreach (var key in patch.Select(kv => kv.Key).ToList())
        {
            if (key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal))
            {
                var field = key[DeleteFromPrimitiveListPrefix.Length..];
                if (patch[key] is not JsonArray toDelete) throw ApiError.BadRequest("invalid patch format of primitive list");
                if (original[field] is JsonArray list)
                    for (var i = list.Count - 1; i >= 0; i--)
                        if (toDelete.Any(d => JsonNode.DeepEquals(d, list[i]))) list.RemoveAt(i);
                patch.Remove(key);
            }
            else if (key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal))
            {
                if (patch[key] is not JsonArray order) throw ApiError.BadRequest("invalid patch format of setElementOrder list");
                orders[key[SetElementOrderPrefix.Length..]] = order;
                patch.Remove(key);
            }
        }

        foreach (var (key, patchValue) in patch.ToList())
        {
            var childSchema = Child(schema, key);
            if (key.StartsWith('$') && childSchema is null) continue; // an unknown directive; never stored
            if (patchValue is null)
            {
                original.Remove(key);
                continue;
            }
            var meta = schema is { Kind: SchemaKind.Object } ? PatchMergeKeys.Lookup(schema.ClrType, key) : null;
            var current = original[key];
            JsonNode? merged;
            if (patchValue is JsonObject po)
            {
                var replaceWhole = meta is { Strategy: "replace" } || current is not JsonObject;
                merged = MergeMap(replaceWhole ? new JsonObject() : (JsonObject)current!, po, childSchema);
            }
            else if (patchValue is JsonArray pa)
            {
                var origList = current as JsonArray;
                merged = MergeList(origList ?? new JsonArray(), pa, childSchema, meta);
                if (orders.Remove(key, out var order)) Reorder((JsonArray)merged, order, meta?.MergeKey, origList);
            }
            else
            {
                merged = patchValue.DeepClone();
            }

            if (merged is null) original.Remove(key);
            else if (!ReferenceEquals(merged, current))
            {
                // Assigning over an existing key keeps its position, so the object's field order is stable.
                original[key] = Detach(merged);
            }
        }

        // "$setElementOrder" without the list in the patch reorders the existing list.
        foreach (var (field, order) in orders)
        {
            if (original[field] is not JsonArray list) continue;
            var meta = schema is { Kind: SchemaKind.Object } ? PatchMergeKeys.Lookup(schema.ClrType, field) : null;
            var snapshot = (JsonArray)list.DeepClone();
            Reorder(list, order, meta?.MergeKey, snapshot);
        }
        return original;
    }

    private static void ApplyRetainKeys(JsonObject original, JsonObject patch)
    {
        if (!patch.ContainsKey(RetainKeysDirective)) return;
        if (patch[RetainKeysDirective] is not JsonArray retain ||
            retain.Any(r => r is not JsonValue v || v.GetValueKind() != JsonValueKind.String))
            throw ApiError.BadRequest("invalid patch format of retainKeys");
        var keep = retain.Select(r => r!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
        patch.Remove(RetainKeysDirective);
        foreach (var (k, v) in patch)
        {
            if (v is null || k.StartsWith('$')) continue;
            if (!keep.Contains(k)) throw ApiError.BadRequest("invalid patch format of retainKeys");
        }
        foreach (var k in original.Select(kv => kv.Key).Where(k => !keep.Contains(k)).ToList())
            original.Remove(k);
    }

    private static JsonArray MergeList(JsonArray original, JsonArray patch, SchemaNode? listSchema, PatchMeta? meta)
    {
        var elementSchema = listSchema is { Kind: SchemaKind.List } ? listSchema.Element : null;

        // Without a merge strategy the patch list replaces the original, cleaned of directives.
        if (meta is null || !meta.Merges) return Fresh(patch, elementSchema);

        // Any element carrying "$patch: replace" makes the list exactly the patch's plain elements (the marker
        // element itself is dropped), as apimachinery's mergeSliceWithSpecialElements does.
        if (patch.Any(e => e is JsonObject o && o.ContainsKey(PatchDirective) && DirectiveText(o[PatchDirective]) == "replace"))
            return Fresh(new JsonArray(patch.Where(e => e is not JsonObject o || !o.ContainsKey(PatchDirective)).Select(e => e?.DeepClone()).ToArray()), elementSchema);

        if (meta.MergeKey is null)
        {
            // Primitive lists merge as a set union, then take the patch's order (see Reorder).
            var result = new JsonArray();
            foreach (var item in original.Concat(patch))
                if (!result.Any(r => JsonNode.DeepEquals(r, item))) result.Add(item?.DeepClone());
            Reorder(result, patch, null, original);
            return result;
        }

        var mergeKey = meta.MergeKey;
        var merged = new JsonArray(original.Select(e => e?.DeepClone()).ToArray());
        var plain = new List<JsonObject>();

        // First the special elements ("$patch: delete"), then the merges, as apimachinery orders them.
        foreach (var element in patch)
        {
            if (element is not JsonObject pe)
                throw ApiError.BadRequest($"invalid patch: list elements of a list merged by \"{mergeKey}\" must be objects");
            var keyValue = pe[mergeKey];
            if (!pe.ContainsKey(PatchDirective))
            {
                plain.Add((JsonObject)pe.DeepClone());
                continue;
            }
            var directive = DirectiveText(pe[PatchDirective]);
            if (directive == "merge") throw ApiError.BadRequest("merging lists cannot yet be specified in the patch");
            if (directive != "delete") throw ApiError.BadRequest($"unknown patch type: {directive} in map: {pe.ToJsonString()}");
            if (keyValue is null) throw ApiError.BadRequest($"map: {pe.ToJsonString()} does not contain declared merge key: {mergeKey}");
            for (var i = merged.Count - 1; i >= 0; i--)
                if (merged[i] is JsonObject m && JsonNode.DeepEquals(m[mergeKey], keyValue)) merged.RemoveAt(i);
        }

        foreach (var item in plain)
        {
            var keyValue = item[mergeKey]
                ?? throw ApiError.BadRequest($"map: {item.ToJsonString()} does not contain declared merge key: {mergeKey}");
            var index = IndexOf(merged, keyValue, mergeKey);
            if (index >= 0)
            {
                var target = merged[index] as JsonObject ?? new JsonObject();
                var result = MergeMap(target, item, elementSchema);
                if (result is null) merged.RemoveAt(index);
                else if (!ReferenceEquals(result, merged[index])) merged[index] = Detach(result);
            }
            else if (MergeMap(new JsonObject(), item, elementSchema) is { } added)
            {
                merged.Add(added);
            }
        }

        // apimachinery orders every merged list by the patch: patch items keep the patch's order and server-only
        // items slot in by their server position, so an item new to the server lands before the server's items.
        var patchItems = new JsonArray(plain.Select(e => (JsonNode?)e.DeepClone()).ToArray());
        Reorder(merged, patchItems, mergeKey, original);
        return merged;
    }

    /// <summary>
    /// Orders a merged list by an order list (the patch list itself, or a "$setElementOrder" list): items named
    /// there follow its order; the others keep their place relative to the server's original order, and when the
    /// two cannot be compared the ordered item goes first (apimachinery's normalizeElementOrder/mergeSortedSlice).
    /// </summary>
    private static void Reorder(JsonArray merged, JsonArray order, string? mergeKey, JsonArray? serverList)
    {
        JsonNode? KeyOf(JsonNode? n) => mergeKey is null ? n : (n as JsonObject)?[mergeKey];
        int IndexIn(JsonArray? list, JsonNode? item)
        {
            if (list is null) return -1;
            var key = KeyOf(item);
            for (var i = 0; i < list.Count; i++)
                if (JsonNode.DeepEquals(KeyOf(list[i]), key)) return i;
            return -1;
        }

        var items = merged.Select(e => e?.DeepClone()).ToList();
        var patchItems = items.Where(e => IndexIn(order, e) >= 0).OrderBy(e => IndexIn(order, e)).ToList();
        var serverOnly = items.Where(e => IndexIn(order, e) < 0).ToList();

        var result = new List<JsonNode?>(items.Count);
        int a = 0, b = 0;
        while (a < serverOnly.Count || b < patchItems.Count)
        {
            if (a >= serverOnly.Count) { result.Add(patchItems[b++]); continue; }
            if (b >= patchItems.Count) { result.Add(serverOnly[a++]); continue; }
            var li = IndexIn(serverList, serverOnly[a]);
            var ri = IndexIn(serverList, patchItems[b]);
            if (li >= 0 && ri >= 0 && li < ri) result.Add(serverOnly[a++]);
            else result.Add(patchItems[b++]);
        }
        merged.Clear();
        foreach (var r in result) merged.Add(r);
    }

    private static int IndexOf(JsonArray list, JsonNode keyValue, string mergeKey)
    {
        for (var i = 0; i < list.Count; i++)
            if (list[i] is JsonObject o && JsonNode.DeepEquals(o[mergeKey], keyValue)) return i;
        return -1;
    }

    // A new list from patch content only: elements go through MergeMap so nested directives are applied and removed.
    private static JsonArray Fresh(JsonArray patch, SchemaNode? elementSchema)
    {
        var result = new JsonArray();
        foreach (var e in patch)
        {
            if (e is JsonObject o)
            {
                if (MergeMap(new JsonObject(), (JsonObject)o.DeepClone(), elementSchema) is { } clean) result.Add(clean);
            }
            else result.Add(e?.DeepClone());
        }
        return result;
    }

    private static string DirectiveText(JsonNode? n) =>
        n is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : n?.ToJsonString() ?? "null";

    private static SchemaNode? Child(SchemaNode? schema, string key) => schema?.Kind switch
    {
        SchemaKind.Object => schema.Field(key),
        SchemaKind.Map => schema.Element,
        _ => null,
    };

    private static JsonNode Detach(JsonNode node) => node.Parent is null ? node : node.DeepClone();
}
