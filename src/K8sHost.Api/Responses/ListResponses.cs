using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using K8sHost.Api.Negotiation;
using K8sHost.ApiMachinery.Json;
using K8sHost.Registry.Catalog;
using K8sHost.Registry.Contracts;
using Microsoft.AspNetCore.Http;

namespace K8sHost.Api.Responses;

/// <summary>
/// List replies, streamed: the envelope is written around each item's cached bytes and flushed in chunks, so a large
/// list never exists as one re-serialized string. YAML is the exception (it is rendered from the streamed JSON).
/// </summary>
public static class ListResponses
{
    /// <summary>Flush to the socket about this often, so memory stays flat for big lists.</summary>
    private const int FlushThreshold = 64 * 1024;

    public static async Task WriteAsync(HttpContext http, int statusCode, ResponseFormat format, ResourceDescriptor d, ListResult list,
        IncludeObject include, DateTimeOffset now)
    {
        var res = http.Response;
        res.StatusCode = statusCode;
        res.ContentType = format.ContentType(list: true);
        var ct = http.RequestAborted;
        if (format.Shape == ResponseShape.Yaml)
        {
            var buffer = new ArrayBufferWriter<byte>(4096);
            await WriteJsonAsync(buffer, null, format, d, list, include, now, ct);
            var yaml = Encoding.UTF8.GetBytes(YamlOutput.FromJson(buffer.WrittenSpan));
            res.ContentLength = yaml.Length;
            await res.Body.WriteAsync(yaml, ct);
            return;
        }
        await res.StartAsync(ct);
        await WriteJsonAsync(res.BodyWriter, res.BodyWriter, format, d, list, include, now, ct);
        await res.BodyWriter.FlushAsync(ct);
    }

    private static async Task WriteJsonAsync(IBufferWriter<byte> output, PipeWriter? pipe, ResponseFormat format, ResourceDescriptor d,
        ListResult list, IncludeObject include, DateTimeOffset now, CancellationToken ct)
    {
        await using var w = new Utf8JsonWriter(output, WireJson.WriterOptions);
        w.WriteStartObject();
        switch (format.Shape)
        {
            case ResponseShape.Table:
                w.WriteString("kind", "Table");
                w.WriteString("apiVersion", format.MetaApiVersion);
                break;
            case ResponseShape.PartialObjectMetadata:
                w.WriteString("kind", "PartialObjectMetadataList");
                w.WriteString("apiVersion", format.MetaApiVersion);
                break;
            default:
                w.WriteString("kind", d.ListKind);
                w.WriteString("apiVersion", d.ApiVersion);
                break;
        }
        WriteListMeta(w, list);
        if (format.Shape == ResponseShape.Table)
        {
            TableRows.WriteColumnDefinitions(w, d);
            w.WriteStartArray("rows");
        }
        else w.WriteStartArray("items");

        long flushedAt = 0;
        foreach (var item in list.Items)
        {
            switch (format.Shape)
            {
                case ResponseShape.Table:
                    TableRows.WriteRow(w, d, item, include, format.MetaApiVersion, now);
                    break;
                case ResponseShape.PartialObjectMetadata:
                    TableRows.WritePartialObjectMetadata(w, item, format.MetaApiVersion);
                    break;
                default:
                    w.WriteRawValue(item.Json, skipInputValidation: true);
                    break;
            }
            var written = w.BytesCommitted + w.BytesPending;
            if (pipe is not null && written - flushedAt >= FlushThreshold)
            {
                await w.FlushAsync(ct);
                await pipe.FlushAsync(ct);
                flushedAt = written;
            }
        }
        w.WriteEndArray();
        w.WriteEndObject();
        await w.FlushAsync(ct);
    }

    private static void WriteListMeta(Utf8JsonWriter w, ListResult list)
    {
        w.WriteStartObject("metadata");
        w.WriteString("resourceVersion", list.Revision.ToString(CultureInfo.InvariantCulture));
        if (!string.IsNullOrEmpty(list.Continue)) w.WriteString("continue", list.Continue);
        if (list.RemainingItemCount is long n) w.WriteNumber("remainingItemCount", n);
        w.WriteEndObject();
    }
}
