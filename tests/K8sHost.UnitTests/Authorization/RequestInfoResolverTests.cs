using K8sHost.Api.Pipeline;
using K8sHost.Registry.Catalog;
using K8sHost.Resources;
using Xunit;

namespace K8sHost.UnitTests.Authorization;

public sealed class RequestInfoResolverTests
{
    private static readonly RequestInfoResolver Resolver = new(new ResourceCatalog(BuiltInKinds.All()));

    [Theory]
    [InlineData("GET", "/api/v1/namespaces/dev/pods", "", "", "list", "", "pods", "dev", "", "")]
    [InlineData("GET", "/api/v1/namespaces/dev/pods", "true", "", "watch", "", "pods", "dev", "", "")]
    [InlineData("GET", "/api/v1/namespaces/dev/pods", "0", "", "list", "", "pods", "dev", "", "")]
    [InlineData("GET", "/api/v1/watch/namespaces/dev/pods/web", "", "", "watch", "", "pods", "dev", "web", "")]
    [InlineData("GET", "/api/v1/namespaces/dev/pods/web/log", "", "", "get", "", "pods", "dev", "web", "log")]
    [InlineData("POST", "/api/v1/namespaces/dev/pods/web/eviction", "", "", "create", "", "pods", "dev", "web", "eviction")]
    [InlineData("DELETE", "/api/v1/namespaces/dev/configmaps", "", "", "deletecollection", "", "configmaps", "dev", "", "")]
    [InlineData("DELETE", "/api/v1/namespaces/dev/configmaps/a", "", "", "delete", "", "configmaps", "dev", "a", "")]
    [InlineData("PATCH", "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/n1", "", "", "patch", "coordination.k8s.io", "leases", "kube-node-lease", "n1", "")]
    [InlineData("PUT", "/api/v1/nodes/n1/status", "", "", "update", "", "nodes", "", "n1", "status")]
    [InlineData("GET", "/api/v1/namespaces/dev", "", "", "get", "", "namespaces", "dev", "dev", "")]
    [InlineData("PUT", "/api/v1/namespaces/dev/finalize", "", "", "update", "", "namespaces", "dev", "dev", "finalize")]
    [InlineData("GET", "/api/v1/pods", "", "", "list", "", "pods", "", "", "")]
    [InlineData("GET", "/api/v1/namespaces/dev/configmaps", "", "metadata.name=one", "list", "", "configmaps", "dev", "one", "")]
    [InlineData("GET", "/api/v1/namespaces/dev/configmaps", "", "metadata.name!=one", "list", "", "configmaps", "dev", "", "")]
    public void ResourcePaths_ResolveAsKubeApiserver(string method, string path, string watch, string fieldSelector, string verb, string group,
        string resource, string ns, string name, string sub)
    {
        var info = Resolver.Resolve(method, path, watch, fieldSelector);
        Assert.True(info.IsResourceRequest);
        Assert.Equal((verb, group, resource, ns, name, sub), (info.Verb, info.ApiGroup, info.Resource, info.Namespace, info.Name, info.Subresource));
    }

    [Theory]
    [InlineData("/api")]
    [InlineData("/api/v1")]
    [InlineData("/apis")]
    [InlineData("/apis/apps")]
    [InlineData("/apis/apps/v1")]
    [InlineData("/healthz")]
    [InlineData("/openapi/v3/api/v1")]
    [InlineData("/")]
    public void ShortOrForeignPaths_AreNonResourceRequests_AuthorizedOnThePath(string path)
    {
        var info = Resolver.Resolve("GET", path);
        Assert.False(info.IsResourceRequest);
        Assert.Equal("get", info.Verb);
        Assert.Equal(path, info.Path);
    }

    [Fact]
    public void ServedResources_CarryTheirCatalogDescriptor_UnknownOnesNone()
    {
        Assert.Equal("Pod", Resolver.Resolve("GET", "/api/v1/namespaces/dev/pods").Descriptor?.Kind);
        Assert.Equal("ClusterRole", Resolver.Resolve("GET", "/apis/rbac.authorization.k8s.io/v1/clusterroles/x").Descriptor?.Kind);
        Assert.Null(Resolver.Resolve("GET", "/apis/apps/v1/namespaces/dev/deployments").Descriptor);
    }
}
