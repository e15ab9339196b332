using System.Net;
using System.Text.Json.Nodes;
using static K8sHost.Api.Tests.Http.ApiServerFixture;

namespace K8sHost.Api.Tests.Http;

[Collection(ApiServerCollection.Name)]
public sealed class DiscoveryTests(ApiServerFixture server)
{
    private const string KubectlDiscoveryAccept =
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";

    private async Task<(HttpResponseMessage Res, JsonObject Body)> GetAsync(string path, string? accept = null)
    {
        var req = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null) req.Headers.TryAddWithoutValidation("Accept", accept);
        var res = await server.Client.SendAsync(req);
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        return (res, JsonNode.Parse(await res.Content.ReadAsStringAsync())!.AsObject());
    }

    [Fact]
    public async Task Api_WithKubectlAccept_ReturnsAggregatedV2WithExactContentType()
    {
        var (res, body) = await GetAsync("/api?timeout=32s", KubectlDiscoveryAccept);
        Assert.Equal("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList",
            await RawHttp.ContentTypeAsync(server.BaseAddress, "/api", KubectlDiscoveryAccept));
        Assert.Equal("APIGroupDiscoveryList", (string?)body["kind"]);
        Assert.Equal("apidiscovery.k8s.io/v2", (string?)body["apiVersion"]);
        var core = body["items"]!.AsArray().Single()!;
        Assert.Equal("", (string?)core["metadata"]!["name"]);
        var v1 = core["versions"]!.AsArray().Single()!;
        Assert.Equal("v1", (string?)v1["version"]);
        var pods = v1["resources"]!.AsArray().Single(r => (string?)r!["resource"] == "pods")!;
        Assert.Equal("Namespaced", (string?)pods["scope"]);
        Assert.Equal("pod", (string?)pods["singularResource"]);
        Assert.Contains("po", pods["shortNames"]!.AsArray().Select(x => (string?)x));
        Assert.Contains("all", pods["categories"]!.AsArray().Select(x => (string?)x));
        Assert.Equal("Pod", (string?)pods["responseKind"]!["kind"]);
        var eviction = pods["subresources"]!.AsArray().Single(s => (string?)s!["subresource"] == "eviction")!;
        Assert.Equal("policy", (string?)eviction["responseKind"]!["group"]);
        Assert.Equal("Eviction", (string?)eviction["responseKind"]!["kind"]);
        var ns = v1["resources"]!.AsArray().Single(r => (string?)r!["resource"] == "namespaces")!;
        Assert.Equal("Cluster", (string?)ns["scope"]);
    }

    [Fact]
    public async Task Apis_WithV2Beta1OnlyAccept_AnswersV2Beta1ContentType()
    {
        var (res, body) = await GetAsync("/apis", "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json");
        Assert.Equal("application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList",
            await RawHttp.ContentTypeAsync(server.BaseAddress, "/apis", "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json"));
        Assert.Equal("apidiscovery.k8s.io/v2beta1", (string?)body["apiVersion"]);
        var groups = body["items"]!.AsArray().Select(i => (string?)i!["metadata"]!["name"]).ToList();
        Assert.Contains("coordination.k8s.io", groups);
        Assert.DoesNotContain("", groups);
    }

    [Fact]
    public async Task Api_WithPlainJsonAccept_ReturnsLegacyApiVersions()
    {
        var (res, body) = await GetAsync("/api", "application/json, */*");
        Assert.Equal("application/json", res.Content.Headers.ContentType!.MediaType);
        Assert.Equal("APIVersions", (string?)body["kind"]);
        Assert.Equal("v1", (string?)body["versions"]![0]);
        Assert.False(string.IsNullOrEmpty((string?)body["serverAddressByClientCIDRs"]![0]!["serverAddress"]));
    }

    [Fact]
    public async Task Apis_WithoutAccept_ReturnsLegacyGroupListWithPreferredVersions()
    {
        var (_, body) = await GetAsync("/apis");
        Assert.Equal("APIGroupList", (string?)body["kind"]);
        var lease = body["groups"]!.AsArray().Single(g => (string?)g!["name"] == "coordination.k8s.io")!;
        Assert.Equal("coordination.k8s.io/v1", (string?)lease["preferredVersion"]!["groupVersion"]);
    }

    [Fact]
    public async Task ApiV1_ReturnsResourceListWithSubresourceEntries()
    {
        var (_, body) = await GetAsync("/api/v1");
        Assert.Equal("APIResourceList", (string?)body["kind"]);
        Assert.Equal("v1", (string?)body["groupVersion"]);
        var resources = body["resources"]!.AsArray();
        var pods = resources.Single(r => (string?)r!["name"] == "pods")!;
        Assert.True((bool)pods["namespaced"]!);
        Assert.Equal("pod", (string?)pods["singularName"]);
        Assert.Contains("watch", pods["verbs"]!.AsArray().Select(v => (string?)v));
        var status = resources.Single(r => (string?)r!["name"] == "pods/status")!;
        Assert.Equal(["get", "patch", "update"], status["verbs"]!.AsArray().Select(v => (string?)v));
        var eviction = resources.Single(r => (string?)r!["name"] == "pods/eviction")!;
        Assert.Equal("policy", (string?)eviction["group"]);
        Assert.Equal("v1", (string?)eviction["version"]);
        Assert.Equal("Eviction", (string?)eviction["kind"]);
        Assert.Equal(["create"], eviction["verbs"]!.AsArray().Select(v => (string?)v));
        var namespaces = resources.Single(r => (string?)r!["name"] == "namespaces")!;
        Assert.DoesNotContain("deletecollection", namespaces["verbs"]!.AsArray().Select(v => (string?)v));
    }

    [Fact]
    public async Task GroupAndGroupVersion_ReturnApiGroupAndResourceList()
    {
        var (_, group) = await GetAsync("/apis/coordination.k8s.io");
        Assert.Equal("APIGroup", (string?)group["kind"]);
        Assert.Equal("coordination.k8s.io", (string?)group["name"]);
        var (_, list) = await GetAsync("/apis/coordination.k8s.io/v1");
        Assert.Equal("coordination.k8s.io/v1", (string?)list["groupVersion"]);
        Assert.Contains(list["resources"]!.AsArray(), r => (string?)r!["name"] == "leases");
    }

    [Fact]
    public async Task EveryDiscoveredResource_IsServedAtItsListPath()
    {
        var (_, api) = await GetAsync("/api", KubectlDiscoveryAccept);
        var (_, apis) = await GetAsync("/apis", KubectlDiscoveryAccept);
        foreach (var group in api["items"]!.AsArray().Concat(apis["items"]!.AsArray()))
        {
            var g = (string)group!["metadata"]!["name"]!;
            foreach (var version in group["versions"]!.AsArray())
            {
                var v = (string)version!["version"]!;
                foreach (var r in version["resources"]!.AsArray())
                {
                    var path = (g.Length == 0 ? $"/api/{v}/" : $"/apis/{g}/{v}/") + (string)r["resource"]!;
                    var canList = r!["verbs"]!.AsArray().Any(x => (string?)x == "list");
                    using var res = await server.Client.GetAsync(path);
                    // Routed either way: listable kinds answer the list, the others a 405 Status (never a 404).
                    var expected = canList ? HttpStatusCode.OK : HttpStatusCode.MethodNotAllowed;
                    Assert.True(res.StatusCode == expected, $"{path}: {(int)res.StatusCode}");
                }
            }
        }
    }

    [Fact]
    public async Task Version_ReturnsKube135ShapedInfo()
    {
        var (_, body) = await GetAsync("/version?timeout=32s", "application/json, */*");
        Assert.Equal("1", (string?)body["major"]);
        Assert.Equal("35", (string?)body["minor"]);
        Assert.Equal("v1.35.0-k8shost", (string?)body["gitVersion"]);
        Assert.Matches("^[a-z0-9]+/[a-z0-9]+$", (string?)body["platform"]);
        Assert.False(string.IsNullOrEmpty((string?)body["goVersion"]));
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/livez")]
    [InlineData("/readyz")]
    public async Task HealthEndpoints_AnswerOk(string path)
    {
        using var res = await server.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        Assert.Equal("ok", await res.Content.ReadAsStringAsync());
    }
}
