using System.Text.Json.Nodes;
using K8sHost.ApiMachinery;
using K8sHost.ApiMachinery.Errors;

namespace K8sHost.Api.Bodies;

/// <summary>
/// Placeholder for the kubernetes protobuf envelope until the transcoder exists: answers 415 with a message saying
/// what to do instead. Replace by registering another IRequestBodyDecoder for the same media type (last one wins).
/// </summary>
public sealed class UnsupportedProtobufDecoder : IRequestBodyDecoder
{
    public const string MediaType = "application/vnd.kubernetes.protobuf";

    public IReadOnlyList<string> MediaTypes { get; } = [MediaType];

    public JsonObject Decode(ReadOnlyMemory<byte> body, FieldValidation mode, ICollection<string> warnings) =>
        throw new ApiError(415, "UnsupportedMediaType",
            $"the body of the request was in an unknown format - protobuf request bodies ({MediaType}) are not supported yet; " +
            "send application/json or application/yaml");
}
