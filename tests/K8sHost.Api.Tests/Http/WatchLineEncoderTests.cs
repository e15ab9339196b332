using System.Text;
using System.Text.Json.Nodes;
using K8sHost.Api.Negotiation;
using K8sHost.Api.Responses;
using K8sHost.Api.Watch;
using K8sHost.Registry.Contracts;
using K8sHost.Resources;

namespace K8sHost.Api.Tests.Http;

/// <summary>The encoded line of an event is built once per object version and format, and shared by watchers.</summary>
public sealed class WatchLineEncoderTests
{
    private static readonly Registry.Catalog.ResourceDescriptor ConfigMaps = BuiltInKinds.All().Single(d => d.Kind == "ConfigMap");

    private static ObjectVersion Version(long rv) => new(
        "k8s/o/p/configmaps/default/a", "default", "a", rv,
        Encoding.UTF8.GetBytes($$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","namespace":"default","resourceVersion":"{{{rv}}}"}}"""),
        new Dictionary<string, string>(), new Dictionary<string, string>());

    [Fact]
    public void SameVersionAndFormat_ReusesTheEncodedLine()
    {
        var ov = Version(5);
        var now = DateTimeOffset.UtcNow;
        var a = WatchLineEncoder.Encode(new WatchEvent(WatchEventType.Added, ov, 5), ResponseFormat.Json, ConfigMaps, IncludeObject.Metadata, false, now);
        var b = WatchLineEncoder.Encode(new WatchEvent(WatchEventType.Added, ov, 5), ResponseFormat.Json, ConfigMaps, IncludeObject.Metadata, false, now);
        Assert.Same(a, b);
        var line = Encoding.UTF8.GetString(a);
        Assert.EndsWith("}\n", line);
        Assert.Equal("ADDED", (string?)JsonNode.Parse(line)!["type"]);
    }

    [Fact]
    public void DifferentFormatsOrTypes_GetTheirOwnLines()
    {
        var ov = Version(6);
        var now = DateTimeOffset.UtcNow;
        var json = WatchLineEncoder.Encode(new WatchEvent(WatchEventType.Modified, ov, 6), ResponseFormat.Json, ConfigMaps, IncludeObject.Metadata, false, now);
        var deleted = WatchLineEncoder.Encode(new WatchEvent(WatchEventType.Deleted, ov, 6), ResponseFormat.Json, ConfigMaps, IncludeObject.Metadata, false, now);
        var table = WatchLineEncoder.Encode(new WatchEvent(WatchEventType.Modified, ov, 6), new ResponseFormat(ResponseShape.Table), ConfigMaps,
            IncludeObject.Metadata, false, now);
        Assert.NotSame(json, deleted);
        Assert.Equal("DELETED", (string?)JsonNode.Parse(deleted)!["type"]);
        Assert.Equal("Table", (string?)JsonNode.Parse(table)!["object"]!["kind"]);
        Assert.Null(JsonNode.Parse(table)!["object"]!["columnDefinitions"]);
    }

    [Fact]
    public void Bookmark_CarriesTheRevisionAndTheInitialEventsEndAnnotation()
    {
        var line = WatchLineEncoder.Encode(new WatchEvent(WatchEventType.Bookmark, null, 42, InitialEventsEnd: true), ResponseFormat.Json, ConfigMaps,
            IncludeObject.Metadata, false, DateTimeOffset.UtcNow);
        var ev = JsonNode.Parse(line)!;
        Assert.Equal("BOOKMARK", (string?)ev["type"]);
        Assert.Equal("ConfigMap", (string?)ev["object"]!["kind"]);
        Assert.Equal("42", (string?)ev["object"]!["metadata"]!["resourceVersion"]);
        Assert.Equal("true", (string?)ev["object"]!["metadata"]!["annotations"]!["k8s.io/initial-events-end"]);
    }
}
