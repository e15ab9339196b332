using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using K8sHost.Api.Tests.Http;

namespace K8sHost.Api.Tests.Reviews;

/// <summary>
/// The self-subject reviews and protobuf request bodies over real HTTP. The fixture has no authentication middleware,
/// so the caller is the in-process system user (system:apiserver, group system:masters).
/// </summary>
[Collection(ApiServerCollection.Name)]
public sealed class ReviewEndpointTests(ApiServerFixture server)
{
    private const string Authz = "/apis/authorization.k8s.io/v1";

    private async Task<(HttpStatusCode Code, JsonObject Body)> PostAsync(string path, HttpContent content)
    {
        using var res = await server.Client.PostAsync(path, content);
        return (res.StatusCode, JsonNode.Parse(await res.Content.ReadAsStringAsync())!.AsObject());
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static ByteArrayContent Protobuf(byte[] body)
    {
        var c = new ByteArrayContent(body);
        c.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.kubernetes.protobuf");
        return c;
    }

    [Fact]
    public async Task AccessReview_Json_Returns201AllowedWithSpecEchoed()
    {
        var (code, body) = await PostAsync($"{Authz}/selfsubjectaccessreviews", Json("""
            {"kind":"SelfSubjectAccessReview","apiVersion":"authorization.k8s.io/v1",
             "spec":{"resourceAttributes":{"namespace":"default","verb":"delete","resource":"secrets"}}}
            """));
        Assert.Equal(HttpStatusCode.Created, code);
        Assert.Equal("SelfSubjectAccessReview", (string?)body["kind"]);
        Assert.Equal("secrets", (string?)body["spec"]!["resourceAttributes"]!["resource"]);
        Assert.True((bool)body["status"]!["allowed"]!);
    }

    [Fact]
    public async Task AccessReview_ProtobufAsKubectlSendsIt_Returns201Allowed()
    {
        var attrs = Pb.Bytes(1, Pb.Str(1, "default"), Pb.Str(2, "get"), Pb.Str(5, "pods"));
        var (code, body) = await PostAsync($"{Authz}/selfsubjectaccessreviews",
            Protobuf(Pb.Envelope("authorization.k8s.io/v1", "SelfSubjectAccessReview", Pb.Bytes(1), Pb.Bytes(2, attrs))));
        Assert.Equal(HttpStatusCode.Created, code);
        Assert.Equal("get", (string?)body["spec"]!["resourceAttributes"]!["verb"]);
        Assert.True((bool)body["status"]!["allowed"]!);
    }

    [Fact]
    public async Task AccessReview_WithBothOrNeitherAttributes_Returns422()
    {
        var (code, body) = await PostAsync($"{Authz}/selfsubjectaccessreviews",
            Json("""{"kind":"SelfSubjectAccessReview","apiVersion":"authorization.k8s.io/v1","spec":{}}"""));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Equal("Invalid", (string?)body["reason"]);
        Assert.Equal("spec.resourceAttributes", (string?)body["details"]!["causes"]![0]!["field"]);
    }

    [Fact]
    public async Task AccessReview_WithOtherKind_Returns400()
    {
        var (code, _) = await PostAsync($"{Authz}/selfsubjectaccessreviews",
            Json("""{"kind":"SelfSubjectRulesReview","apiVersion":"authorization.k8s.io/v1","spec":{"namespace":"x"}}"""));
        Assert.Equal(HttpStatusCode.BadRequest, code);
    }

    [Fact]
    public async Task Reviews_AnswerOtherMethodsWith405Status()
    {
        using var res = await server.Client.GetAsync($"{Authz}/selfsubjectrulesreviews");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, res.StatusCode);
        Assert.Equal("MethodNotAllowed", (string?)JsonNode.Parse(await res.Content.ReadAsStringAsync())!["reason"]);
    }

    [Fact]
    public async Task RulesReview_ReturnsWildcardRules()
    {
        var (code, body) = await PostAsync($"{Authz}/selfsubjectrulesreviews",
            Json("""{"kind":"SelfSubjectRulesReview","apiVersion":"authorization.k8s.io/v1","spec":{"namespace":"default"}}"""));
        Assert.Equal(HttpStatusCode.Created, code);
        var status = body["status"]!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""[{"verbs":["*"],"apiGroups":["*"],"resources":["*"]}]"""), status["resourceRules"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""[{"verbs":["*"],"nonResourceURLs":["*"]}]"""), status["nonResourceRules"]));
        Assert.False((bool)status["incomplete"]!);
    }

    [Fact]
    public async Task RulesReview_WithoutNamespace_Returns400()
    {
        var (code, _) = await PostAsync($"{Authz}/selfsubjectrulesreviews",
            Json("""{"kind":"SelfSubjectRulesReview","apiVersion":"authorization.k8s.io/v1","spec":{}}"""));
        Assert.Equal(HttpStatusCode.BadRequest, code);
    }

    [Fact]
    public async Task SelfSubjectReview_ReturnsTheCaller()
    {
        var (code, body) = await PostAsync("/apis/authentication.k8s.io/v1/selfsubjectreviews",
            Protobuf(Pb.Envelope("authentication.k8s.io/v1", "SelfSubjectReview", Pb.Bytes(1))));
        Assert.Equal(HttpStatusCode.Created, code);
        Assert.Equal("system:apiserver", (string?)body["status"]!["userInfo"]!["username"]);
        Assert.Contains(body["status"]!["userInfo"]!["groups"]!.AsArray(), g => (string?)g == "system:masters");
    }

    [Theory]
    [InlineData("authorization.k8s.io", "selfsubjectaccessreviews")]
    [InlineData("authorization.k8s.io", "selfsubjectrulesreviews")]
    [InlineData("authentication.k8s.io", "selfsubjectreviews")]
    public async Task Reviews_AreInLegacyAndAggregatedDiscovery_AsCreateOnly(string group, string plural)
    {
        using var legacy = await server.Client.GetAsync($"/apis/{group}/v1");
        var list = JsonNode.Parse(await legacy.Content.ReadAsStringAsync())!;
        var entry = list["resources"]!.AsArray().Single(r => (string?)r!["name"] == plural)!;
        Assert.Equal("""["create"]""", entry["verbs"]!.ToJsonString());
        Assert.False((bool)entry["namespaced"]!);

        var req = new HttpRequestMessage(HttpMethod.Get, "/apis");
        req.Headers.TryAddWithoutValidation("Accept", "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
        using var res = await server.Client.SendAsync(req);
        var aggregated = JsonNode.Parse(await res.Content.ReadAsStringAsync())!;
        var groupItem = aggregated["items"]!.AsArray().Single(i => (string?)i!["metadata"]!["name"] == group)!;
        var resource = groupItem["versions"]![0]!["resources"]!.AsArray().Single(r => (string?)r!["resource"] == plural)!;
        Assert.Equal("""["create"]""", resource["verbs"]!.ToJsonString());
        Assert.Equal("Cluster", (string?)resource["scope"]);
    }

    [Fact]
    public async Task CreateConfigMap_WithProtobufBody_StoresIt()
    {
        var name = "pb-" + Guid.NewGuid().ToString("N")[..8];
        var meta = Pb.Bytes(1, Pb.Str(1, name), Pb.Str(2, ""), Pb.Str(3, "writes"));
        var entry = Pb.Bytes(2, Pb.Str(1, "greeting"), Pb.Str(2, "hello"));
        var (code, body) = await PostAsync("/api/v1/namespaces/writes/configmaps", Protobuf(Pb.Envelope("v1", "ConfigMap", meta, entry)));
        Assert.Equal(HttpStatusCode.Created, code);
        using var get = await server.Client.GetAsync($"/api/v1/namespaces/writes/configmaps/{name}");
        var stored = JsonNode.Parse(await get.Content.ReadAsStringAsync())!;
        Assert.Equal("hello", (string?)stored["data"]!["greeting"]);
        Assert.NotNull(body["metadata"]!["uid"]);
    }

    [Fact]
    public async Task Delete_WithProtobufDeleteOptions_HonoursItsDryRun()
    {
        var name = "pbdel-" + Guid.NewGuid().ToString("N")[..8];
        using (var create = await server.Client.PostAsync("/api/v1/namespaces/writes/configmaps",
            Json($$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}"}}""")))
            Assert.Equal(HttpStatusCode.Created, create.StatusCode);

        // DeleteOptions{dryRun:["All"], propagationPolicy:"Background"}: if the body were ignored, the object would go.
        var req = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/namespaces/writes/configmaps/{name}")
        {
            Content = Protobuf(Pb.Envelope("v1", "DeleteOptions", Pb.Str(4, "Background"), Pb.Str(5, "All"))),
        };
        using (var del = await server.Client.SendAsync(req)) Assert.Equal(HttpStatusCode.OK, del.StatusCode);
        using (var get = await server.Client.GetAsync($"/api/v1/namespaces/writes/configmaps/{name}"))
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);

        var real = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/namespaces/writes/configmaps/{name}")
        {
            Content = Protobuf(Pb.Envelope("v1", "DeleteOptions", Pb.Str(4, "Background"))),
        };
        using (var del = await server.Client.SendAsync(real)) Assert.Equal(HttpStatusCode.OK, del.StatusCode);
        using (var gone = await server.Client.GetAsync($"/api/v1/namespaces/writes/configmaps/{name}"))
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Delete_WithMalformedProtobufBody_Returns400()
    {
        var req = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/namespaces/writes/configmaps/whatever")
        {
            Content = Protobuf([0x6b, 0x38, 0x73, 0x00, 0x0a, 0x05]),
        };
        using var res = await server.Client.SendAsync(req);
        Assert.Equal(HttpStatusCode.BadRequest, res.StatusCode);
    }
}
