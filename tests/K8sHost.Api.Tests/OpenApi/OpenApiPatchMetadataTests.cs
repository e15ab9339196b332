using System.Text.Json.Nodes;
using Xunit;

namespace K8sHost.Api.Tests.OpenApi;

/// <summary>
/// The strategic-merge extensions kubectl's client-side apply reads from OpenAPI v3 (kube-apiserver serves them on
/// list properties); values are upstream's patchStrategy/patchMergeKey tags and +listType/+listMapKey markers.
/// </summary>
[Collection(OpenApiServerCollection.Name)]
public sealed class OpenApiPatchMetadataTests(OpenApiServerFixture fixture)
{
    private readonly OpenApiTestHost _host = fixture.Host;

    private async Task<JsonObject> PropertyAsync(string schema, string property)
    {
        var index = JsonNode.Parse(await _host.Client.GetStringAsync("/openapi/v3"))!;
        var url = index["paths"]!["api/v1"]!["serverRelativeURL"]!.GetValue<string>();
        var doc = JsonNode.Parse(await _host.Client.GetStringAsync(url))!;
        return doc["components"]!["schemas"]![schema]?["properties"]?[property]?.AsObject()
               ?? throw new Xunit.Sdk.XunitException($"{schema}.{property} missing");
    }

    [Theory]
    [InlineData("io.k8s.api.core.v1.PodSpec", "containers", "name", "merge", "map", "name")]
    [InlineData("io.k8s.api.core.v1.Container", "ports", "containerPort", "merge", "map", "containerPort,protocol")]
    [InlineData("io.k8s.api.core.v1.ServiceSpec", "ports", "port", "merge", "map", "port,protocol")]
    [InlineData("io.k8s.api.core.v1.NodeStatus", "conditions", "type", "merge", "map", "type")]
    [InlineData("io.k8s.api.core.v1.PodSpec", "volumes", "name", "merge,retainKeys", "map", "name")]
    public async Task MergeListProperty_CarriesPatchStrategyMergeKeyAndListMapKeys(
        string schema, string property, string mergeKey, string strategy, string listType, string mapKeys)
    {
        var p = await PropertyAsync(schema, property);

        Assert.Equal("array", p["type"]!.GetValue<string>());
        Assert.Equal(mergeKey, p["x-kubernetes-patch-merge-key"]!.GetValue<string>());
        Assert.Equal(strategy, p["x-kubernetes-patch-strategy"]!.GetValue<string>());
        Assert.Equal(listType, p["x-kubernetes-list-type"]!.GetValue<string>());
        Assert.Equal(mapKeys.Split(','), p["x-kubernetes-list-map-keys"]!.AsArray().Select(k => k!.GetValue<string>()));
    }

    [Fact]
    public async Task MergeListOfPrimitives_IsASetWithoutMergeKey()
    {
        var p = await PropertyAsync("io.k8s.api.core.v1.NodeSpec", "podCIDRs");

        Assert.Equal("merge", p["x-kubernetes-patch-strategy"]!.GetValue<string>());
        Assert.Equal("set", p["x-kubernetes-list-type"]!.GetValue<string>());
        Assert.Null(p["x-kubernetes-patch-merge-key"]);
        Assert.Null(p["x-kubernetes-list-map-keys"]);
    }

    [Fact]
    public async Task ListWithoutStrategicMergeTags_CarriesNoPatchExtensions()
    {
        // Tolerations are replaced whole by strategic merge upstream, so kubectl must see no merge metadata.
        var p = await PropertyAsync("io.k8s.api.core.v1.PodSpec", "tolerations");

        Assert.DoesNotContain(p, kv => kv.Key.StartsWith("x-kubernetes-patch-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MetaTypeListProperty_CarriesItsMergeMetadataBesideItsDescription()
    {
        var p = await PropertyAsync("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "ownerReferences");

        Assert.Equal("uid", p["x-kubernetes-patch-merge-key"]!.GetValue<string>());
        Assert.Equal(["uid"], p["x-kubernetes-list-map-keys"]!.AsArray().Select(k => k!.GetValue<string>()));
        Assert.NotNull(p["description"]);
    }
}
