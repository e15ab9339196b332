using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Patch;

namespace K8sHost.Api.OpenApi;

/// <summary>
/// Writes a list property's merge metadata the way kube-apiserver serves it: x-kubernetes-list-map-keys,
/// x-kubernetes-list-type, x-kubernetes-patch-merge-key and x-kubernetes-patch-strategy. kubectl's client-side apply
/// builds its 3-way strategic merge patch from these; without them every list looks atomic, so kubectl re-sends whole
/// lists ("configured" instead of "unchanged") and never writes $setElementOrder / $patch: delete for removed items.
/// The values come from PatchMergeKeys, the table the server's own strategic merge uses, so both sides agree.
/// </summary>
internal static class PatchMetadataExtensions
{
    public static void AddTo(JsonObject property, Type modelType, string jsonName)
    {
        if (PatchMergeKeys.Lookup(modelType, jsonName) is not { } meta) return;
        // Upstream's generator writes the extensions in this (alphabetical) order after the schema's own keys.
        if (meta.ListMapKeys is { Count: > 0 } keys)
            property["x-kubernetes-list-map-keys"] = new JsonArray(keys.Select(k => (JsonNode?)JsonValue.Create(k)).ToArray());
        if (meta.ListType is { } listType) property["x-kubernetes-list-type"] = listType;
        if (meta.MergeKey is { } mergeKey) property["x-kubernetes-patch-merge-key"] = mergeKey;
        property["x-kubernetes-patch-strategy"] = meta.Strategy;
    }
}
