using System.Text.Json.Nodes;
using K8sHost.ApiMachinery;

namespace K8sHost.Api.Bodies;

/// <summary>
/// Turns a request body of one media type into a JSON object. One decoder per content type (JSON, YAML, and the
/// Kubernetes protobuf envelope); everything after decoding works on the JSON object alone.
/// </summary>
public interface IRequestBodyDecoder
{
    /// <summary>Media types this decoder handles ("application/json"), compared without parameters, case-insensitively.</summary>
    IReadOnlyList<string> MediaTypes { get; }

    /// <summary>Decodes the whole body; throws ApiError (400 for malformed input, 415 when the format is not served).</summary>
    JsonObject Decode(ReadOnlyMemory<byte> body, FieldValidation mode, ICollection<string> warnings);
}
