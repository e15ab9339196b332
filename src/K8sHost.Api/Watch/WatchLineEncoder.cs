using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using K8sHost.Api.Negotiation;
using K8sHost.Api.Responses;
using K8sHost.Registry.Catalog;
using K8sHost.Registry.Contracts;

namespace K8sHost.Api.Watch;

/// <summary>
/// Encodes watch events as newline-terminated `{"type":…,"object":…}` lines. A line is built once per object version
/// and format and shared by every watcher that asks for the same format: fan-out to N watchers costs one encoding.
/// The cache hangs off the ObjectVersion (weakly), so it lives exactly as long as the version does.
/// </summary>
public static class WatchLineEncoder
{
    private static readonly ConditionalWeakTable<ObjectVersion, ConcurrentDictionary<LineKey, CachedLine>> Cache = new();

    private readonly record struct LineKey(WatchEventType Type, ResponseShape Shape, string MetaVersion, IncludeObject Include);

    /// <summary>An encoded line and the second it was encoded in (0 when the line does not depend on time).</summary>
    private sealed record CachedLine(long Second, byte[] Bytes);

    /// <summary>
    /// The encoded line for <paramref name="ev"/>. <paramref name="withColumns"/> is only honoured for Table output (the first
    /// Table event of a watch carries columnDefinitions; that line is per watcher and not cached).
    /// </summary>
    public static byte[] Encode(WatchEvent ev, ResponseFormat format, ResourceDescriptor d, IncludeObject include, bool withColumns, DateTimeOffset now)
    {
        switch (ev.Type)
        {
            case WatchEventType.Bookmark:
                return Build(w => WriteEnvelope(w, "BOOKMARK", o => WriteBookmark(o, format, d, ev)));
            case WatchEventType.Error:
                return Build(w => WriteEnvelope(w, "ERROR", o => (ev.Error ?? Unknown()).WriteTo(o)));
        }
        var ov = ev.Object ?? throw new InvalidOperationException($"watch event {ev.Type} without an object");
        var shapeInclude = format.Shape == ResponseShape.Table ? include : IncludeObject.Metadata;
        if (format.Shape == ResponseShape.Table && withColumns) return EncodeObject(ev.Type, ov, format, d, shapeInclude, true, now);
        var lines = Cache.GetValue(ov, _ => new ConcurrentDictionary<LineKey, CachedLine>());
        var key = new LineKey(ev.Type, format.Shape, format.MetaVersion, shapeInclude);
        // Table rows hold the object's age as of encoding: a Table line is shared only within the second it was built in,
        // or a watch opened later (initial ADDED events, resumes) would show unchanged objects with the age they had then.
        var second = format.Shape == ResponseShape.Table ? now.ToUnixTimeSeconds() : 0;
        if (lines.TryGetValue(key, out var cached) && cached.Second == second) return cached.Bytes;
        var line = EncodeObject(ev.Type, ov, format, d, shapeInclude, false, now);
        lines[key] = new CachedLine(second, line);
        return line;
    }

    private static byte[] EncodeObject(WatchEventType type, ObjectVersion ov, ResponseFormat format, ResourceDescriptor d, IncludeObject include,
        bool withColumns, DateTimeOffset now) =>
        Build(w => WriteEnvelope(w, TypeName(type), o =>
        {
            switch (format.Shape)
            {
                case ResponseShape.Table:
                    o.WriteStartObject();
                    o.WriteString("kind", "Table");
                    o.WriteString("apiVersion", format.MetaApiVersion);
                    o.WriteStartObject("metadata");
                    o.WriteString("resourceVersion", ov.Revision.ToString(CultureInfo.InvariantCulture));
                    o.WriteEndObject();
                    if (withColumns) TableRows.WriteColumnDefinitions(o, d);
                    o.WriteStartArray("rows");
                    TableRows.WriteRow(o, d, ov, include, format.MetaApiVersion, now);
                    o.WriteEndArray();
                    o.WriteEndObject();
                    break;
                case ResponseShape.PartialObjectMetadata:
                    TableRows.WritePartialObjectMetadata(o, ov, format.MetaApiVersion);
                    break;
                default:
                    o.WriteRawValue(ov.Json, skipInputValidation: true);
                    break;
            }
        }));

    private static void WriteBookmark(Utf8JsonWriter o, ResponseFormat format, ResourceDescriptor d, WatchEvent ev)
    {
        o.WriteStartObject();
        switch (format.Shape)
        {
            case ResponseShape.Table:
                o.WriteString("kind", "Table");
                o.WriteString("apiVersion", format.MetaApiVersion);
                break;
            case ResponseShape.PartialObjectMetadata:
                o.WriteString("kind", "PartialObjectMetadata");
                o.WriteString("apiVersion", format.MetaApiVersion);
                break;
            default:
                o.WriteString("kind", d.Kind);
                o.WriteString("apiVersion", d.ApiVersion);
                break;
        }
        o.WriteStartObject("metadata");
        o.WriteString("resourceVersion", ev.Revision.ToString(CultureInfo.InvariantCulture));
        if (ev.InitialEventsEnd)
        {
            o.WriteStartObject("annotations");
            o.WriteString("k8s.io/initial-events-end", "true");
            o.WriteEndObject();
        }
        o.WriteEndObject();
        if (format.Shape == ResponseShape.Table) { o.WriteStartArray("rows"); o.WriteEndArray(); }
        o.WriteEndObject();
    }

    private static void WriteEnvelope(Utf8JsonWriter w, string type, Action<Utf8JsonWriter> writeObject)
    {
        w.WriteStartObject();
        w.WriteString("type", type);
        w.WritePropertyName("object");
        writeObject(w);
        w.WriteEndObject();
    }

    private static string TypeName(WatchEventType t) => t switch
    {
        WatchEventType.Added => "ADDED",
        WatchEventType.Modified => "MODIFIED",
        WatchEventType.Deleted => "DELETED",
        WatchEventType.Bookmark => "BOOKMARK",
        _ => "ERROR",
    };

    private static JsonObject Unknown() => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = "watch ended with an unknown error",
        ["reason"] = "InternalError",
        ["code"] = 500,
    };

    private static byte[] Build(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer, K8sHost.ApiMachinery.Json.WireJson.WriterOptions)) { write(w); }
        buffer.Write("\n"u8);
        return buffer.WrittenSpan.ToArray();
    }
}
