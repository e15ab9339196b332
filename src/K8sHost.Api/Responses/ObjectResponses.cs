using System.Buffers;
using System.Text;
using System.Text.Json;
using K8sHost.Api.Negotiation;
using K8sHost.ApiMachinery.Json;
using K8sHost.Registry.Catalog;
using K8sHost.Registry.Contracts;
using Microsoft.AspNetCore.Http;

namespace K8sHost.Api.Responses;

/// <summary>Single-object replies. JSON goes out as the cached bytes of the version, never re-serialized.</summary>
public static class ObjectResponses
{
    public static async Task WriteAsync(HttpContext http, int statusCode, ResponseFormat format, ResourceDescriptor d, ObjectVersion ov,
        IncludeObject include, DateTimeOffset now)
    {
        var res = http.Response;
        res.StatusCode = statusCode;
        res.ContentType = format.ContentType(list: false);
        byte[] body;
        switch (format.Shape)
        {
            case ResponseShape.Object:
                body = ov.Json;
                break;
            case ResponseShape.Yaml:
                body = Encoding.UTF8.GetBytes(YamlOutput.FromJson(ov.Json));
                break;
            case ResponseShape.Table:
                body = Build(w =>
                {
                    w.WriteStartObject();
                    w.WriteString("kind", "Table");
                    w.WriteString("apiVersion", format.MetaApiVersion);
                    w.WriteStartObject("metadata");
                    w.WriteString("resourceVersion", ov.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    w.WriteEndObject();
                    TableRows.WriteColumnDefinitions(w, d);
                    w.WriteStartArray("rows");
                    TableRows.WriteRow(w, d, ov, include, format.MetaApiVersion, now);
                    w.WriteEndArray();
                    w.WriteEndObject();
                });
                break;
            default:
                body = Build(w => TableRows.WritePartialObjectMetadata(w, ov, format.MetaApiVersion));
                break;
        }
        res.ContentLength = body.Length;
        await res.Body.WriteAsync(body, http.RequestAborted);
    }

    private static byte[] Build(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer, WireJson.WriterOptions)) { write(w); }
        return buffer.WrittenSpan.ToArray();
    }
}
