using K8sHost.Registry.Catalog;
using K8sHost.Resources;
using Xunit;

namespace K8sHost.UnitTests.Resources;

public class BuiltInKindsTests
{
    [Fact]
    public void All_BuildsACatalog_CoreFirstInDiscoveryOrder()
    {
        var catalog = new ResourceCatalog(BuiltInKinds.All());
        Assert.Equal(["pods", "services", "nodes", "namespaces"], catalog.All.Take(4).Select(d => d.Plural));
        Assert.Equal(("", "v1"), catalog.GroupVersions.First());
        Assert.NotNull(catalog.Find("events.k8s.io", "v1", "events"));
        Assert.NotNull(catalog.Find("discovery.k8s.io", "v1", "endpointslices"));
        Assert.NotNull(catalog.Find("coordination.k8s.io", "v1", "leases"));
    }

    [Fact]
    public void All_CategoryAll_HoldsOnlyPodsAndServices()
    {
        Assert.Equal(["pods", "services"], BuiltInKinds.All().Where(d => d.Categories.Contains("all")).Select(d => d.Plural));
    }

    [Fact]
    public void All_ShortNamesAsKubeApiserver()
    {
        var shortNames = BuiltInKinds.All().ToDictionary(d => d.QualifiedPlural, d => string.Join(",", d.ShortNames));
        Assert.Equal("po", shortNames["pods"]);
        Assert.Equal("svc", shortNames["services"]);
        Assert.Equal("no", shortNames["nodes"]);
        Assert.Equal("ns", shortNames["namespaces"]);
        Assert.Equal("ev", shortNames["events"]);
        Assert.Equal("ev", shortNames["events.events.k8s.io"]);
        Assert.Equal("", shortNames["secrets"]);
    }

    [Fact]
    public void All_ModelTypesAreTheKubernetesClientTypes()
    {
        var byKind = BuiltInKinds.All().ToDictionary(d => d.QualifiedPlural, d => d.ModelType);
        Assert.Equal(typeof(k8s.Models.V1Pod), byKind["pods"]);
        Assert.Equal(typeof(k8s.Models.Corev1Event), byKind["events"]);
        Assert.Equal(typeof(k8s.Models.Eventsv1Event), byKind["events.events.k8s.io"]);
    }

    [Fact]
    public void All_EveryColumnListStartsWithNameExceptEvents()
    {
        foreach (var d in BuiltInKinds.All().Where(d => d.Kind != "Event"))
            Assert.Equal(("Name", "name"), (d.Columns[0].Name, d.Columns[0].Format));
    }
}

public class GenerationTrackingTests
{
    [Fact]
    public void OnlyPodsAndServices_TrackGeneration_AsKubeApiserver()
    {
        Assert.Equal(["pods", "services"], K8sHost.Resources.BuiltInKinds.All().Where(d => d.Strategy.SpecFields.Count > 0).Select(d => d.Plural));
    }
}
