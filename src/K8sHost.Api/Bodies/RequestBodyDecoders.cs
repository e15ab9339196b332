using System.Text.Json.Nodes;
using K8sHost.ApiMachinery;
using K8sHost.ApiMachinery.Errors;

namespace K8sHost.Api.Bodies;

/// <summary>All registered decoders by media type. When two decoders claim a type, the one registered last wins.</summary>
public sealed class RequestBodyDecoders
{
    private readonly Dictionary<string, IRequestBodyDecoder> _byType = new(StringComparer.OrdinalIgnoreCase);

    public RequestBodyDecoders(IEnumerable<IRequestBodyDecoder> decoders)
    {
        foreach (var d in decoders)
            foreach (var t in d.MediaTypes) _byType[t] = d;
    }

    /// <summary>
    /// The decoder for <paramref name="contentType"/> (parameters such as charset ignored; no type means JSON).
    /// Resolved before the body is read, so an unsupported type is refused without reading it.
    /// </summary>
    public IRequestBodyDecoder Resolve(string? contentType)
    {
        var type = MediaTypeOf(contentType) ?? "application/json";
        return _byType.TryGetValue(type, out var decoder) ? decoder : throw ApiError.UnsupportedMediaType(contentType ?? "");
    }

    /// <summary>
    /// Decodes a body meant to be a <paramref name="targetKind"/>. A body no kind can be read from (empty, bad syntax, not
    /// an object) is refused in kube-apiserver's words, naming the kind the endpoint expected.
    /// </summary>
    public static JsonObject Decode(IRequestBodyDecoder decoder, ReadOnlyMemory<byte> body, FieldValidation mode, ICollection<string> warnings,
        string targetKind)
    {
        try
        {
            if (body.IsEmpty) throw ApiError.Undecodable(DecodeErrors.JsonParsePrefix + "unexpected end of JSON input");
            return decoder.Decode(body, mode, warnings);
        }
        catch (ApiError e) when (e.UndecodableReason is { } reason)
        {
            throw DecodeErrors.Unrecognized(targetKind, reason, body.Span);
        }
    }

    public static string? MediaTypeOf(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType)) return null;
        var semi = contentType.IndexOf(';');
        return (semi < 0 ? contentType : contentType[..semi]).Trim().ToLowerInvariant();
    }
}
