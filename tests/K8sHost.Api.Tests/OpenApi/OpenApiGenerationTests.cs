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
        await using var host = await OpenApiTestHost.StartAsync();
        var cache = host.Services.GetRequiredService<OpenApiDocumentCache>();
        Assert.False(cache.IsGenerated);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => host.Client.GetStringAsync("/openapi/v3")));

        Assert.True(cache.IsGenerated);
        Assert.Single(results.Distinct());
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
    }
}
