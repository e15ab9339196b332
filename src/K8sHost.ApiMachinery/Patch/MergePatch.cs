using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Json;

namespace K8sHost.ApiMachinery.Patch;

/// <summary>RFC 7386 JSON Merge Patch (application/merge-patch+json): objects merge, null deletes, anything else replaces.</summary>
public static class MergePatch
{
    public static JsonNode? Apply(JsonNode? target, ReadOnlySpan<byte> patch) => Apply(target, JsonBody.ParseAny(patch));

    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject p) return patch?.DeepClone();
        var result = target is JsonObject t ? (JsonObject)t.DeepClone() : new JsonObject();
        MergeInto(result, p);
        return result;
    }

    // Iterates the patch, recursing only where both sides are objects; the depth is bounded by the parser.
    private static void MergeInto(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch)
        {
            if (value is null)
            {
                target.Remove(key);
                continue;
            }
            if (value is JsonObject po)
            {
                if (target[key] is not JsonObject existing)
                {
                    existing = new JsonObject();
                    target.Remove(key);
                    target[key] = existing;
                }
                MergeInto(existing, po);
                continue;
            }
            target.Remove(key);
            target[key] = value.DeepClone();
        }
    }
}
