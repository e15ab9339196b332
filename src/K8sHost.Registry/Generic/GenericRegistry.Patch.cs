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
                try
                {
                    NormalizeBody(d, ns, patched, new FieldValidationContext(options.FieldValidation, attemptWarnings), rawDecodeErrors: true);
                }
                catch (ApiError e) when (e.ConverterReason is { } converter)
                {
                    throw PatchTypeError(patch.Type, doc!, patched, converter, e.Message);
                }
                if (Meta.Precondition(Meta.ResourceVersion(patched)) is long pin && pin != currentRev) throw Modified(d, name);
                lastWarnings = attemptWarnings;
                return new Desired(patched, pinned, options.FieldManager);
            }, ct);
            return result with { Warnings = [.. options.Warnings, .. lastWarnings] };
        });

    /// <summary>
    /// A patch that leaves a value of the wrong type: kube-apiserver answers 422 on the field "patch". A strategic merge
    /// patch is converted from a map, so it shows the patch (Go's %v) and the converter's words; JSON and merge patches are
    /// decoded from the patched JSON, so they show that and the JSON decoder's words.
    /// </summary>
    private static ApiError PatchTypeError(PatchType type, JsonNode doc, JsonObject patched, string converterReason, string decoderReason)
    {
        var error = type == PatchType.StrategicMerge
            ? FieldError.Invalid("patch", GoText.Value(doc), converterReason)
            : FieldError.Invalid("patch", WireJson.ToText(patched), decoderReason);
        return ApiError.Invalid("", "", "", [error.ToCause()]);
    }

    private static bool PatchPinsResourceVersion(PatchType type, JsonNode doc) => type switch
    {
        PatchType.Json => ((JsonArray)doc).Any(op => Meta.Str(op as JsonObject, "path") == "/metadata/resourceVersion"),
        _ => Meta.Precondition(Meta.Str((JsonObject)doc, "metadata", "resourceVersion")) is not null,
    };
}
