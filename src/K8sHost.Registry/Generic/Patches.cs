using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;
using K8sHost.ApiMachinery.Patch;
using K8sHost.Registry.Contracts;

namespace K8sHost.Registry.Generic;

/// <summary>Applies a decoded patch document to the current object (ApiMachinery does the RFC work).</summary>
internal static class Patches
{
    public static JsonObject Apply(PatchType type, JsonObject current, JsonNode patch, Type modelType)
    {
        var result = type switch
        {
            PatchType.Json => JsonPatch.Apply(current, (JsonArray)patch),
            PatchType.Merge => MergePatch.Apply(current, patch),
            PatchType.StrategicMerge => StrategicMergePatch.Apply(current, (JsonObject)patch, modelType),
            _ => throw ApiError.UnsupportedMediaType(type.ToString()),
        };
        return result as JsonObject ?? throw ApiError.BadRequest("the patch must leave a JSON object");
    }
}
