using System.Text.Json;
using K8sHost.Registry.Catalog;
using K8sHost.Registry.Contracts;

namespace K8sHost.Api.Responses;

/// <summary>Writes the parts of a meta.k8s.io Table: column definitions from the descriptor, rows from the strategy.</summary>
public static class TableRows
{
    public static void WriteColumnDefinitions(Utf8JsonWriter w, ResourceDescriptor d)
    {
        w.WriteStartArray("columnDefinitions");
        foreach (var c in d.Columns)
        {
            w.WriteStartObject();
            w.WriteString("name", c.Name);
            w.WriteString("type", c.Type);
            w.WriteString("format", c.Format);
            w.WriteString("description", c.Description);
            w.WriteNumber("priority", c.Priority);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    public static void WriteRow(Utf8JsonWriter w, ResourceDescriptor d, ObjectVersion ov, IncludeObject include, string metaApiVersion, DateTimeOffset now)
    {
        w.WriteStartObject();
        w.WriteStartArray("cells");
        foreach (var cell in d.Strategy.GetCells(ov.ToJsonObject(), now))
        {
            if (cell is null) w.WriteNullValue();
            else JsonSerializer.Serialize(w, cell, cell.GetType());
        }
        w.WriteEndArray();
        switch (include)
        {
            case IncludeObject.Object:
                w.WritePropertyName("object");
                w.WriteRawValue(ov.Json, skipInputValidation: true);
                break;
            case IncludeObject.Metadata:
                w.WritePropertyName("object");
                WritePartialObjectMetadata(w, ov, metaApiVersion);
                break;
        }
        w.WriteEndObject();
    }

    /// <summary>{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":{…the object's full metadata…}}.</summary>
    public static void WritePartialObjectMetadata(Utf8JsonWriter w, ObjectVersion ov, string metaApiVersion)
    {
        w.WriteStartObject();
        w.WriteString("kind", "PartialObjectMetadata");
        w.WriteString("apiVersion", metaApiVersion);
        w.WritePropertyName("metadata");
        var meta = JsonSlices.TopLevelProperty(ov.Json, "metadata"u8);
        if (meta.IsEmpty) { w.WriteStartObject(); w.WriteEndObject(); }
        else w.WriteRawValue(meta.Span, skipInputValidation: true);
        w.WriteEndObject();
    }
}
