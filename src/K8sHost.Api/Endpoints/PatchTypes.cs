using K8sHost.ApiMachinery.Errors;
using K8sHost.Api.Bodies;
using K8sHost.Registry.Contracts;

namespace K8sHost.Api.Endpoints;

/// <summary>PATCH Content-Type → patch type. Apply in CBOR is not served (clients fall back to YAML on 415).</summary>
public static class PatchTypes
{
    public static PatchType FromContentType(string? contentType) => RequestBodyDecoders.MediaTypeOf(contentType) switch
    {
        "application/json-patch+json" => PatchType.Json,
        "application/merge-patch+json" => PatchType.Merge,
        "application/strategic-merge-patch+json" => PatchType.StrategicMerge,
        "application/apply-patch+yaml" => PatchType.Apply,
        _ => throw new ApiError(415, "UnsupportedMediaType",
            $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, " +
            $"application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml (got {contentType})"),
    };
}
