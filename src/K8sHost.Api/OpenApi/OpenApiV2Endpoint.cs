using System.Globalization;
using K8sHost.ApiMachinery.Errors;
using Microsoft.AspNetCore.Http;

namespace K8sHost.Api.OpenApi;

/// <summary>
/// GET/HEAD /openapi/v2: the Swagger 2.0 document as JSON or as gnostic protobuf, chosen from Accept like
/// kube-apiserver's handler does (best-ranked acceptable entry; "*/*" and no Accept mean JSON; nothing acceptable is
/// 406). kubectl asks only for protobuf, under the "@v1.0" spelling; older clients use ".v1.0". Each form carries the
/// hash of its own bytes as ETag, so a cached JSON copy never validates a protobuf request (Vary: Accept).
/// </summary>
internal static class OpenApiV2Endpoint
{
    public const string ProtobufType = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";
    /// <summary>The Content-Type kube-apiserver answers protobuf requests with (the dotted, token-safe spelling).</summary>
    public const string ProtobufContentType = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

    private static readonly string[] ProtobufSubtypes =
        ["com.github.proto-openapi.spec.v2@v1.0+protobuf", "com.github.proto-openapi.spec.v2.v1.0+protobuf"];

    public static async Task ServeAsync(HttpContext http, OpenApiDocumentCache cache)
    {
        http.Response.Headers.Vary = "Accept";
        var protobuf = ChooseProtobuf(http.Request.Headers.Accept.ToString());
        if (protobuf is null)
        {
            await OpenApiEndpoints.WriteErrorAsync(http, ApiError.NotAcceptable(
                $"only the following media types are accepted: application/json, {ProtobufType}"));
            return;
        }
        var doc = await cache.GetV2Async(http.RequestAborted);
        var (bytes, hash, type) = protobuf.Value ? (doc.Protobuf, doc.ProtobufHash, ProtobufContentType) : (doc.Json, doc.JsonHash, "application/json");
        var etag = $"\"{hash}\"";
        http.Response.Headers.ETag = etag;
        http.Response.Headers.CacheControl = "no-cache, private";
        if (OpenApiEndpoints.IfNoneMatch(http.Request, etag))
        {
            http.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        http.Response.ContentType = type;
        http.Response.ContentLength = bytes.Length;
        if (HttpMethods.IsHead(http.Request.Method)) return;
        await http.Response.Body.WriteAsync(bytes, http.RequestAborted);
    }

    /// <summary>true = protobuf, false = JSON, null = nothing acceptable.</summary>
    internal static bool? ChooseProtobuf(string accept)
    {
        if (string.IsNullOrWhiteSpace(accept)) return false;
        // Parsed by hand: '@' is not a token character, so the framework's media-type parser rejects kubectl's value.
        var ranked = accept.Split(',')
            .Select((entry, index) => (Clause: Clause.Parse(entry), index))
            .Where(c => c.Clause is { Quality: > 0 })
            .OrderByDescending(c => c.Clause!.Quality)
            .ThenByDescending(c => c.Clause!.Specificity)
            .ThenBy(c => c.index);
        foreach (var (clause, _) in ranked)
        {
            var (type, subtype) = (clause!.Type, clause.Subtype);
            if (type == "*" && subtype == "*") return false;
            if (type != "application") continue;
            if (subtype is "*" or "json") return false;
            if (ProtobufSubtypes.Contains(subtype, StringComparer.OrdinalIgnoreCase)) return true;
        }
        return null;
    }

    private sealed record Clause(string Type, string Subtype, double Quality)
    {
        public int Specificity => (Type == "*" ? 0 : 1) + (Subtype == "*" ? 0 : 1);

        public static Clause? Parse(string entry)
        {
            var parts = entry.Split(';');
            var media = parts[0].Trim().ToLowerInvariant();
            var slash = media.IndexOf('/');
            if (slash <= 0 || slash == media.Length - 1) return null;
            var quality = 1.0;
            foreach (var p in parts.Skip(1))
            {
                var kv = p.Split('=', 2);
                if (kv.Length == 2 && kv[0].Trim().Equals("q", StringComparison.OrdinalIgnoreCase)
                    && double.TryParse(kv[1].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var q))
                    quality = q;
            }
            return new Clause(media[..slash], media[(slash + 1)..], quality);
        }
    }
}
