using System.Text;
using System.Text.Json.Nodes;
using K8sHost.Registry.Contracts;
using Xunit;

namespace K8sHost.UnitTests.Registry;

public sealed class ObjectVersionTests
{
    [Fact]
    public void ToJsonObject_UsedFromManyThreadsAtOnce_AlwaysReturnsTheWholeObject()
    {
        // Cached versions are shared by every request (tables, watches, namespace checks) at the same moment.
        var body = new JsonObject { ["metadata"] = new JsonObject { ["name"] = "x" } };
        var data = new JsonObject();
        for (var i = 0; i < 200; i++) data["k" + i] = new JsonObject { ["v"] = i, ["list"] = new JsonArray(1, 2, 3) };
        body["data"] = data;
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        var expected = JsonNode.Parse(bytes)!.ToJsonString();
        var empty = new Dictionary<string, string>();
        var failures = 0;
        for (var round = 0; round < 30; round++)
        {
            var ov = new ObjectVersion("k", null, "x", 1, bytes, empty, empty);
            Parallel.For(0, 8, _ =>
            {
                try
                {
                    if (ov.ToJsonObject().ToJsonString() != expected) Interlocked.Increment(ref failures);
                }
                catch (Exception) { Interlocked.Increment(ref failures); }
            });
        }
        Assert.Equal(0, failures);
    }
}
