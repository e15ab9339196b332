using System.Text.Json.Nodes;
using K8sHost.ApiMachinery;
using K8sHost.ApiMachinery.Protobuf;

namespace K8sHost.Api.Bodies;

/// <summary>
/// application/vnd.kubernetes.protobuf bodies (kubectl's typed commands, helm's release Secrets, DeleteOptions):
/// transcoded into the same JsonObject a JSON body would give, so everything after decoding is format-blind.
/// fieldValidation does not apply: protobuf has no unknown or duplicate field names to report, as in kube-apiserver.
/// </summary>
public sealed class ProtobufBodyDecoder : IRequestBodyDecoder
{
    public const string MediaType = "application/vnd.kubernetes.protobuf";

    public IReadOnlyList<string> MediaTypes { get; } = [MediaType];

    public JsonObject Decode(ReadOnlyMemory<byte> body, FieldValidation mode, ICollection<string> warnings) =>
        ProtobufTranscoder.Default.DecodeEnvelope(body.Span);
}
