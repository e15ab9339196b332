using K8sHost.ApiMachinery.Errors;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace K8sHost.Api.Negotiation;

/// <summary>
/// Picks the response format from the Accept header the way kube-apiserver does: the first acceptable entry wins
/// (clients list their preference in order, e.g. Table, Table v1beta1, then plain JSON). Protobuf and CBOR are not
/// served; a request that accepts only those gets 406, while "protobuf,json" (typed clients) gets JSON.
/// </summary>
public static class AcceptNegotiator
{
    public static ResponseFormat Negotiate(StringValues accept, bool allowYaml = true)
    {
        if (StringValues.IsNullOrEmpty(accept)) return ResponseFormat.Json;
        if (!MediaTypeHeaderValue.TryParseList(accept, out var list) || list.Count == 0) return ResponseFormat.Json;

        // Honour q=0 ("not acceptable") and otherwise keep the client's order, which is what client-go relies on.
        foreach (var mt in list.Where(m => m.Quality is not 0).OrderByDescending(m => m.Quality ?? 1.0))
        {
            var f = Match(mt, allowYaml);
            if (f is not null) return f;
        }
        throw ApiError.NotAcceptable(
            $"only the following media types are accepted: application/json, application/yaml, {TableType} (got {accept})");
    }

    private const string TableType = "application/json;as=Table;v=v1;g=meta.k8s.io";

    private static ResponseFormat? Match(MediaTypeHeaderValue mt, bool allowYaml)
    {
        var type = mt.MediaType.Value ?? "";
        if (type is "*/*" or "application/*") return ResponseFormat.Json;
        if (type.Equals("application/yaml", StringComparison.OrdinalIgnoreCase))
            return allowYaml ? ResponseFormat.YamlFormat : null;
        if (!type.Equals("application/json", StringComparison.OrdinalIgnoreCase)) return null;

        string? @as = null, g = null, v = null;
        foreach (var p in mt.Parameters)
        {
            var name = p.Name.Value;
            var value = HeaderUtilities.RemoveQuotes(p.Value).Value;
            if (string.Equals(name, "as", StringComparison.OrdinalIgnoreCase)) @as = value;
            else if (string.Equals(name, "g", StringComparison.OrdinalIgnoreCase)) g = value;
            else if (string.Equals(name, "v", StringComparison.OrdinalIgnoreCase)) v = value;
        }
        if (@as is null) return ResponseFormat.Json;
        if (g != "meta.k8s.io" || v is not ("v1" or "v1beta1")) return null;
        return @as switch
        {
            "Table" => new ResponseFormat(ResponseShape.Table, v),
            "PartialObjectMetadata" or "PartialObjectMetadataList" => new ResponseFormat(ResponseShape.PartialObjectMetadata, v),
            _ => null,
        };
    }
}
