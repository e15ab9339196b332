using System.Text.Json.Nodes;
using K8sHost.ApiMachinery;
using K8sHost.ApiMachinery.Json;

namespace K8sHost.Api.Bodies;

public sealed class YamlBodyDecoder : IRequestBodyDecoder
{
    public IReadOnlyList<string> MediaTypes { get; } = ["application/yaml"];

    public JsonObject Decode(ReadOnlyMemory<byte> body, FieldValidation mode, ICollection<string> warnings) =>
        JsonBody.ParseYaml(body.Span, mode, warnings);
}
