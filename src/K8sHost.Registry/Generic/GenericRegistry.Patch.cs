using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;
using K8sHost.ApiMachinery.Json;
using K8sHost.Registry.Catalog;
using K8sHost.Registry.Contracts;

namespace K8sHost.Registry.Generic;

// PATCH: the patch is a transform inside GuaranteedUpdate, so it is re-applied to the fresh object on a CAS conflict.
// A resourceVersion inside the patch is a precondition (kubectl diff/apply send one).
public sealed partial class GenericRegistry
{
    public Task<WriteResult> PatchAsync(RequestContext rc, ResourceDescriptor d, string? ns, string name, string? subresource, PatchRequest patch,
        WriteOptions options, CancellationToken ct) =>
        Guard(async () =>
        {
            await _cache.EnsureReadyAsync(ct);
            CheckSubresource(d, subresource);
            if (patch.Type == PatchType.Apply) return await ApplyAsync(rc, d, ns, name, subresource, patch, options, ct);

            var doc = JsonBody.ParseAny(patch.Body.Span);
            switch (patch.Type)
            {
                case PatchType.Json when doc is not JsonArray:
                    throw ApiError.BadRequest("the server rejected our request due to an error in our request: a JSON patch must be an array of operations");
                case PatchType.Merge or PatchType.StrategicMerge when doc is not JsonObject:
                    throw ApiError.BadRequest("the server rejected our request due to an error in our request: the patch must be a JSON object");
            }
            var pinned = PatchPinsResourceVersion(patch.Type, doc!);
            List<string> lastWarnings = [];
            var result = await GuaranteedUpdateAsync(rc, d, ns, name, subresource, options.DryRun, (current, currentRev) =>
            {
                var attemptWarnings = new List<string>();
                var patched = Patches.Apply(patch.Type, current, doc!, d.ModelType);
                NormalizeBody(d, ns, patched, new FieldValidationContext(options.FieldValidation, attemptWarnings));
                if (Meta.Precondition(Meta.ResourceVersion(patched)) is long pin && pin != currentRev) throw Modified(d, name);
                lastWarnings = attemptWarnings;
                return new Desired(patched, pinned, options.FieldManager);
            }, ct);
            return result with { Warnings = [.. options.Warnings, .. lastWarnings] };
        });

    private static bool PatchPinsResourceVersion(PatchType type, JsonNode doc) => type switch
    {
        PatchType.Json => ((JsonArray)doc).Any(op => Meta.Str(op as JsonObject, "path") == "/metadata/resourceVersion"),
        _ => Meta.Precondition(Meta.Str((JsonObject)doc, "metadata", "resourceVersion")) is not null,
    };
}
