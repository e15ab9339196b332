using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using K8sHost.Registry.Cache;
using K8sHost.Registry.Catalog;
using K8sHost.Registry.Contracts;
using K8sHost.Resources.Pods;
using Xunit;

namespace K8sHost.UnitTests.Registry;

/// <summary>
/// The registry's own writes reach the cache as prepared versions (stored bytes + resourceVersion spliced in), and cached
/// labels/fields are compact maps. Both must be indistinguishable from decoding the stored bytes the original way.
/// </summary>
public sealed class CachedVersionEncodingTests
{
    private const string Key = "k8s/core/pods/default/p";

    public static TheoryData<string> Objects => new()
    {
        """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"default","labels":{"app":"web","tier":"é<&>'\"x"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}""",
        """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"default","resourceVersion":"77","selfLink":"/x","annotations":{"a":"\u00e9\ud83d\ude00\n\t\\ \u0000"}},"spec":{"terminationGracePeriodSeconds":30,"x":1.0,"y":1e3,"z":-0.5}}""",
        """{"metadata":{},"kind":"Pod","status":{"phase":"Running","podIP":"10.0.0.1"}}""",
        """{"kind":"Pod","metadata":{"resourceVersion":"5"},"spec":{"nodeName":"n1","hostNetwork":true}}""",
        """{"apiVersion":"v1","metadata":{"name":"p","namespace":"default","labels":{"n":1,"s":"v"}},"spec":{"containers":[]}}""",
    };

    [Theory]
    [MemberData(nameof(Objects))]
    public void PreparedVersion_AtRevision_IsByteForByteTheDecodedStoredBytes(string json)
    {
        var d = PodKind.Descriptor;
        var stored = ObjectVersionFactory.Prepare(d, Key, JsonNode.Parse(json)!.AsObject(), out var prepared);
        Assert.NotNull(prepared);

        var fast = prepared!.At(123456789);
        var slow = ObjectVersionFactory.FromObject(d, Key, JsonNode.Parse(stored)!.AsObject(), 123456789);

        Assert.Equal(Encoding.UTF8.GetString(slow.Json), Encoding.UTF8.GetString(fast.Json));
        Assert.Equal(slow.Name, fast.Name);
        Assert.Equal(slow.Namespace, fast.Namespace);
        Assert.Equal(slow.Revision, fast.Revision);
        Assert.Equal(slow.Labels.ToList(), fast.Labels.ToList());
        Assert.Equal(slow.Fields.ToList(), fast.Fields.ToList());
    }

    [Theory]
    [MemberData(nameof(Objects))]
    public void StoredBytes_EqualSerializingACopyWithoutResourceVersionAndSelfLink(string json)
    {
        var obj = JsonNode.Parse(json)!.AsObject();
        var copy = (JsonObject)obj.DeepClone();
        (copy["metadata"] as JsonObject)?.Remove("resourceVersion");
        (copy["metadata"] as JsonObject)?.Remove("selfLink");
        var expected = JsonSerializer.SerializeToUtf8Bytes(copy, ServedJson.Options);

        var actual = ObjectVersionFactory.Prepare(PodKind.Descriptor, Key, obj, out _);

        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(actual));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), obj), "preparing must not change the object written");
    }

    [Fact]
    public void PreparedVersion_WithoutMetadataObject_IsNotOffered()
    {
        ObjectVersionFactory.Prepare(PodKind.Descriptor, Key, JsonNode.Parse("""{"kind":"Pod"}""")!.AsObject(), out var prepared);
        Assert.Null(prepared);
    }

    [Fact]
    public void CachedLabelsAndFields_ActLikeReadOnlyDictionaries()
    {
        var ov = ObjectVersionFactory.FromObject(PodKind.Descriptor, Key, JsonNode.Parse(
            """{"metadata":{"name":"p","namespace":"ns1","labels":{"b":"2","a":"1"}},"spec":{"nodeName":"n1"},"status":{"phase":"Running"}}""")!.AsObject(), 3);

        Assert.Equal(2, ov.Labels.Count);
        Assert.Equal(["b", "a"], ov.Labels.Keys);
        Assert.Equal(["2", "1"], ov.Labels.Values);
        Assert.True(ov.Labels.TryGetValue("a", out var a) && a == "1");
        Assert.False(ov.Labels.ContainsKey("c"));
        Assert.Throws<KeyNotFoundException>(() => ov.Labels["c"]);

        Assert.Equal("n1", ov.Fields["spec.nodeName"]);
        Assert.Equal("Running", ov.Fields["status.phase"]);
        Assert.Equal("p", ov.Fields["metadata.name"]);
        Assert.Equal("ns1", ov.Fields["metadata.namespace"]);
        Assert.False(ov.Fields.TryGetValue("spec.unknown", out _));
        Assert.Equal(ov.Fields.Count, ov.Fields.Keys.Count());
        Assert.Equal(ov.Fields.Keys, ov.Fields.Select(kv => kv.Key));
        Assert.Equal("metadata.namespace", ov.Fields.Keys.Last());
    }

    [Fact]
    public void CachedVersionsOfDifferentObjects_ShareNamespaceAndLabelStrings()
    {
        ObjectVersion Make(string name) => ObjectVersionFactory.FromObject(PodKind.Descriptor, Key + name, JsonNode.Parse(
            $$$"""{"metadata":{"name":"{{{name}}}","namespace":"shared-ns","labels":{"app":"shared-value"}},"status":{"phase":"Pending"}}""")!.AsObject(), 1);

        var x = Make("x");
        var y = Make("y");

        Assert.Same(x.Namespace, y.Namespace);
        Assert.Same(x.Labels.Keys.Single(), y.Labels.Keys.Single());
        Assert.Same(x.Labels["app"], y.Labels["app"]);
        Assert.Same(x.Fields["status.phase"], y.Fields["status.phase"]);
    }

    [Fact]
    public async Task Create_CacheHoldsExactlyTheDecodedStoredObject()
    {
        await using var h = await RegistryHarness.StartAsync();
        var created = await h.CreatePodAsync("p1", labels: """{"app":"web","tier":"a.b_c"}""", node: "n1");

        var key = created.Object.Key;
        var stored = await h.Store.GetAsync(key);
        var decoded = ObjectVersionFactory.FromObject(TestKinds.Pods, key, JsonNode.Parse(stored.Value!.Value)!.AsObject(), stored.Value.ModRevision);
        var cached = h.Cache.TryGet(key)!;

        Assert.Equal(Encoding.UTF8.GetString(decoded.Json), Encoding.UTF8.GetString(cached.Json));
        Assert.Equal(decoded.Labels.ToList(), cached.Labels.ToList());
        Assert.Equal(decoded.Fields.ToList(), cached.Fields.ToList());
        Assert.Same(cached, created.Object);
    }
}
