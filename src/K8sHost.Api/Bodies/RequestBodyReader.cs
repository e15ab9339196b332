using System.Buffers;
using K8sHost.ApiMachinery.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace K8sHost.Api.Bodies;

/// <summary>
/// Reads a request body with a hard size cap. A declared Content-Length over the cap is refused before a byte is
/// read; a chunked body is read only up to the cap + 1 byte, so an oversized body never sits in memory whole.
/// </summary>
public static class RequestBodyReader
{
    /// <summary>kube-apiserver's limit for JSON/YAML request bodies.</summary>
    public const long DefaultMaxBytes = 3 * 1024 * 1024;

    public static async Task<ReadOnlyMemory<byte>> ReadAsync(HttpContext http, long maxBytes, CancellationToken ct)
    {
        var declared = http.Request.ContentLength;
        if (declared > maxBytes) throw TooLarge(maxBytes);

        // Let Kestrel enforce the same cap on the wire (it throws BadHttpRequestException 413, mapped by the error boundary).
        var sizeFeature = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false }) sizeFeature.MaxRequestBodySize = maxBytes;

        var initial = (int)Math.Min(declared ?? 16 * 1024, maxBytes + 1);
        var buffer = new ArrayBufferWriter<byte>(Math.Max(initial, 256));
        var body = http.Request.Body;
        while (true)
        {
            var span = buffer.GetMemory(16 * 1024);
            var n = await body.ReadAsync(span, ct);
            if (n == 0) break;
            buffer.Advance(n);
            if (buffer.WrittenCount > maxBytes) throw TooLarge(maxBytes);
        }
        return buffer.WrittenMemory;
    }

    private static ApiError TooLarge(long max) =>
        ApiError.RequestEntityTooLarge($"the request is too large: the body limit is {max} bytes");
}
