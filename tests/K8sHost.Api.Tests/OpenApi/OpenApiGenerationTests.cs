using System.Text.Json.Nodes;
using K8sHost.Api.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace K8sHost.Api.Tests.OpenApi;

/// <summary>Generation is lazy and happens once; these tests need a host of their own that nobody has asked yet.</summary>
public sealed class OpenApiGenerationTests
{
    [Fact]
    public async Task Documents_AreGeneratedOnFirstRequest_NotAtStartup_AndConcurrentFirstCallersGetTheSameIndex()
    {
        await using var host = await OpenApiTestHost.StartAsync(OpenApiTestCatalog.Create());
        var cache = host.Services.GetRequiredService<OpenApiDocumentCache>();
        Assert.False(cache.IsGenerated);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => host.Client.GetStringAsync("/openapi/v3")));

        Assert.True(cache.IsGenerated);
        Assert.Single(results.Distinct());
    }

    [Fact]
    public async Task CreateOnlyKind_HasNoPatchOperation_ButItsSchemaAndCreateOperationAreDescribed()
    {
        await using var host = await OpenApiTestHost.StartAsync(OpenApiTestCatalog.Create());
        var index = JsonNode.Parse(await host.Client.GetStringAsync("/openapi/v3"))!;
        var url = index["paths"]!["apis/authorization.k8s.io/v1"]!["serverRelativeURL"]!.GetValue<string>();
        var doc = JsonNode.Parse(await host.Client.GetStringAsync(url))!;

        var path = doc["paths"]!["/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"]!.AsObject();
        Assert.DoesNotContain(doc["paths"]!.AsObject(), p => p.Value!["patch"] is not null);
        const string name = "io.k8s.api.authorization.v1.SelfSubjectAccessReview";
        Assert.Equal("#/components/schemas/" + name,
            path["post"]!["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
        var schema = doc["components"]!["schemas"]![name]!;
        Assert.Equal("SelfSubjectAccessReview", schema["x-kubernetes-group-version-kind"]![0]!["kind"]!.GetValue<string>());
        Assert.StartsWith("SelfSubjectAccessReview checks whether", schema["description"]!.GetValue<string>());
    }

    [Fact]
    public void ModelDocs_FindEveryConsecutiveEntry()
    {
        var docs = new KubernetesModelDocs();

        Assert.StartsWith("APIVersion defines", docs.ForProperty(typeof(k8s.Models.V1Pod), "ApiVersion"));
        Assert.StartsWith("Kind is a string value", docs.ForProperty(typeof(k8s.Models.V1Pod), "Kind"));
        Assert.StartsWith("Standard object's metadata.", docs.ForProperty(typeof(k8s.Models.V1Pod), "Metadata"));
        Assert.StartsWith("Specification of the desired behavior", docs.ForProperty(typeof(k8s.Models.V1Pod), "Spec"));
        Assert.StartsWith("Pod is a collection of containers", docs.ForType(typeof(k8s.Models.V1Pod)));
        Assert.StartsWith("Quantity is a fixed-point representation", docs.ForType(typeof(k8s.Models.ResourceQuantity)));
    }
}
