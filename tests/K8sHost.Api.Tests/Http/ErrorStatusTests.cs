using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using static K8sHost.Api.Tests.Http.ApiServerFixture;

namespace K8sHost.Api.Tests.Http;

/// <summary>Every client mistake gets the right Status code and reason, and never changes what is stored.</summary>
[Collection(ApiServerCollection.Name)]
public sealed class ErrorStatusTests(ApiServerFixture server)
{
    private const string ConfigMaps = "/api/v1/namespaces/errors/configmaps";
    private HttpClient Client => server.Client;

    private async Task<int> CountConfigMapsAsync()
    {
        using var res = await Client.GetAsync(ConfigMaps);
        res.EnsureSuccessStatusCode();
        return (await ReadObjectAsync(res))["items"]!.AsArray().Count;
    }

    private async Task AssertRejectedWithoutStoringAsync(HttpContent content, HttpStatusCode code, string reason, string name)
    {
        var before = await CountConfigMapsAsync();
        using var res = await Client.PostAsync(ConfigMaps, content);
        await StatusAssert.IsFailureAsync(res, code, reason);
        Assert.Equal(before, await CountConfigMapsAsync());
        using var get = await Client.GetAsync($"{ConfigMaps}/{name}");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Fact]
    public Task Create_WithMalformedJson_Returns400AndStoresNothing() =>
        AssertRejectedWithoutStoringAsync(Json("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"bad1"},"data":{"k":}}"""),
            HttpStatusCode.BadRequest, "BadRequest", "bad1");

    [Fact]
    public Task Create_WithTruncatedJson_Returns400AndStoresNothing() =>
        AssertRejectedWithoutStoringAsync(Json("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"bad2"},"data":{"k":"v"""),
            HttpStatusCode.BadRequest, "BadRequest", "bad2");

    [Fact]
    public Task Create_WithWrongKind_Returns400AndStoresNothing() =>
        AssertRejectedWithoutStoringAsync(Json("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"bad3"}}"""),
            HttpStatusCode.BadRequest, "BadRequest", "bad3");

    [Fact]
    public Task Create_WithWrongApiVersion_Returns400AndStoresNothing() =>
        AssertRejectedWithoutStoringAsync(Json("""{"apiVersion":"apps/v1","kind":"ConfigMap","metadata":{"name":"bad4"}}"""),
            HttpStatusCode.BadRequest, "BadRequest", "bad4");

    [Fact]
    public Task Create_WithNamespaceNotMatchingUrl_Returns400AndStoresNothing() =>
        AssertRejectedWithoutStoringAsync(Json(ConfigMap("bad5", ns: "default")), HttpStatusCode.BadRequest, "BadRequest", "bad5");

    [Fact]
    public async Task Create_WithInvalidName_Returns422WithCausesAndStoresNothing()
    {
        var before = await CountConfigMapsAsync();
        using var res = await Client.PostAsync(ConfigMaps, Json(ConfigMap("Bad_Name!", ns: "errors")));
        var status = await StatusAssert.IsFailureAsync(res, HttpStatusCode.UnprocessableEntity, "Invalid");
        var details = status["details"]!.AsObject();
        Assert.Equal("Bad_Name!", (string?)details["name"]);
        var causes = details["causes"]!.AsArray();
        Assert.Contains(causes, c => (string?)c!["field"] == "metadata.name");
        Assert.Equal(before, await CountConfigMapsAsync());
    }

    [Fact]
    public Task Create_WithProtobufEnvelopeLackingKind_Returns400AndStoresNothing()
    {
        // "k8s\0" + runtime.Unknown with an empty TypeMeta: the transcoder cannot tell what object this is.
        var content = new ByteArrayContent([0x6b, 0x38, 0x73, 0x00, 0x0a, 0x00]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.kubernetes.protobuf");
        return AssertRejectedWithoutStoringAsync(content, HttpStatusCode.BadRequest, "BadRequest", "anything");
    }

    [Fact]
    public Task Create_WithUnknownContentType_Returns415() =>
        AssertRejectedWithoutStoringAsync(new StringContent(ConfigMap("bad6", "errors"), Encoding.UTF8, "text/plain"),
            HttpStatusCode.UnsupportedMediaType, "UnsupportedMediaType", "bad6");

    [Fact]
    public async Task Create_WithDeclaredLengthOver3MiB_Returns413WithoutStoring()
    {
        var big = new string('x', 3 * 1024 * 1024 + 10);
        await AssertRejectedWithoutStoringAsync(Json(ConfigMap("big1", "errors", $$"""{"k":"{{big}}"}""")),
            HttpStatusCode.RequestEntityTooLarge, "RequestEntityTooLarge", "big1");
    }

    [Fact]
    public async Task Create_WithChunkedBodyOver3MiB_Returns413WithoutStoring()
    {
        var big = Encoding.UTF8.GetBytes(ConfigMap("big2", "errors", $$"""{"k":"{{new string('x', 3 * 1024 * 1024 + 10)}}"}"""));
        // A stream of unknown length forces chunked transfer encoding: the server cannot rely on Content-Length.
        var content = new StreamContent(new UnknownLengthStream(big));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        await AssertRejectedWithoutStoringAsync(content, HttpStatusCode.RequestEntityTooLarge, "RequestEntityTooLarge", "big2");
    }

    [Fact]
    public async Task Create_Twice_Returns409AlreadyExists()
    {
        using var first = await Client.PostAsync(ConfigMaps, Json(ConfigMap("twice", "errors")));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        using var second = await Client.PostAsync(ConfigMaps, Json(ConfigMap("twice", "errors", """{"k":"other"}""")));
        var status = await StatusAssert.IsFailureAsync(second, HttpStatusCode.Conflict, "AlreadyExists");
        Assert.Equal("twice", (string?)status["details"]!["name"]);
        using var get = await Client.GetAsync($"{ConfigMaps}/twice");
        Assert.Equal("v", (string?)(await ReadObjectAsync(get))["data"]!["k"]);
    }

    [Fact]
    public async Task Update_WithStaleResourceVersion_Returns409ConflictAndKeepsTheObject()
    {
        using var created = await Client.PostAsync(ConfigMaps, Json(ConfigMap("stale", "errors")));
        var obj = await ReadObjectAsync(created);
        var rv = (string)obj["metadata"]!["resourceVersion"]!;
        obj["data"]!["k"] = "v2";
        using var ok = await Client.PutAsync($"{ConfigMaps}/stale", Json(obj.ToJsonString()));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        obj["metadata"]!["resourceVersion"] = rv;
        obj["data"]!["k"] = "v3";
        using var conflict = await Client.PutAsync($"{ConfigMaps}/stale", Json(obj.ToJsonString()));
        await StatusAssert.IsFailureAsync(conflict, HttpStatusCode.Conflict, "Conflict");
        using var get = await Client.GetAsync($"{ConfigMaps}/stale");
        Assert.Equal("v2", (string?)(await ReadObjectAsync(get))["data"]!["k"]);
    }

    [Fact]
    public async Task Update_WithNameNotMatchingUrl_Returns400()
    {
        using var created = await Client.PostAsync(ConfigMaps, Json(ConfigMap("named", "errors")));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var res = await Client.PutAsync($"{ConfigMaps}/named", Json(ConfigMap("other-name", "errors")));
        await StatusAssert.IsFailureAsync(res, HttpStatusCode.BadRequest, "BadRequest");
    }

    [Fact]
    public async Task Get_MissingObject_Returns404NotFoundStatus()
    {
        using var res = await Client.GetAsync($"{ConfigMaps}/nosuch");
        var status = await StatusAssert.IsFailureAsync(res, HttpStatusCode.NotFound, "NotFound");
        Assert.Equal("configmaps \"nosuch\" not found", (string?)status["message"]);
    }

    [Theory]
    [InlineData("/api/v1/namespaces/errors/foos")]
    [InlineData("/api/v1/namespaces/errors/foos/x")]
    [InlineData("/apis/nosuch.example.com/v1/widgets")]
    [InlineData("/api/v2")]
    [InlineData("/apis/nosuch.example.com")]
    [InlineData("/api/v1/namespaces/errors/configmaps/x/nosub")]
    public async Task UnknownPathUnderApiRoots_Returns404Status(string path)
    {
        using var res = await Client.GetAsync(path);
        var status = await StatusAssert.IsFailureAsync(res, HttpStatusCode.NotFound, "NotFound");
        if (!path.EndsWith("/x", StringComparison.Ordinal))
            Assert.Equal("the server could not find the requested resource", (string?)status["message"]);
    }

    [Fact]
    public async Task DeleteCollection_OnKindWithoutThatVerb_Returns405Status()
    {
        using var res = await Client.DeleteAsync("/api/v1/namespaces");
        await StatusAssert.IsFailureAsync(res, HttpStatusCode.MethodNotAllowed, "MethodNotAllowed");
        using var still = await Client.GetAsync("/api/v1/namespaces/errors");
        Assert.Equal(HttpStatusCode.OK, still.StatusCode);
    }

    [Fact]
    public async Task Put_OnCollection_Returns405Status()
    {
        using var res = await Client.PutAsync(ConfigMaps, Json(ConfigMap("x", "errors")));
        await StatusAssert.IsFailureAsync(res, HttpStatusCode.MethodNotAllowed, "MethodNotAllowed");
    }

    [Fact]
    public async Task Post_OnStatusSubresource_Returns405Status()
    {
        using var res = await Client.PostAsync("/api/v1/namespaces/errors/pods/p/status", Json("{}"));
        await StatusAssert.IsFailureAsync(res, HttpStatusCode.MethodNotAllowed, "MethodNotAllowed");
    }

    [Theory]
    [InlineData("fieldValidation=Loose")]
    [InlineData("dryRun=Some")]
    [InlineData("force=maybe")]
    public async Task Create_WithInvalidQueryParameter_Returns400AndStoresNothing(string query)
    {
        var before = await CountConfigMapsAsync();
        using var res = await Client.PostAsync($"{ConfigMaps}?{query}", Json(ConfigMap("query-bad", "errors")));
        await StatusAssert.IsFailureAsync(res, HttpStatusCode.BadRequest, "BadRequest");
        Assert.Equal(before, await CountConfigMapsAsync());
    }

    [Theory]
    [InlineData("limit=abc")]
    [InlineData("limit=-1")]
    [InlineData("includeObject=Everything")]
    [InlineData("watch=perhaps")]
    public async Task List_WithInvalidQueryParameter_Returns400(string query)
    {
        using var res = await Client.GetAsync($"{ConfigMaps}?{query}");
        await StatusAssert.IsFailureAsync(res, HttpStatusCode.BadRequest, "BadRequest");
    }

    [Fact]
    public async Task Create_WithStrictValidationAndUnknownField_Returns400AndStoresNothing()
    {
        var before = await CountConfigMapsAsync();
        using var res = await Client.PostAsync($"{ConfigMaps}?fieldValidation=Strict",
            Json("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"strict1"},"bogusField":1}"""));
        await StatusAssert.IsFailureAsync(res, HttpStatusCode.BadRequest, "BadRequest");
        Assert.Equal(before, await CountConfigMapsAsync());
    }

    [Fact]
    public async Task Create_WithStrictValidationAndDuplicateField_Returns400()
    {
        using var res = await Client.PostAsync($"{ConfigMaps}?fieldValidation=Strict",
            Json("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dup1"},"data":{"a":"1","a":"2"}}"""));
        var status = await StatusAssert.IsFailureAsync(res, HttpStatusCode.BadRequest, "BadRequest");
        Assert.Contains("duplicate field", (string?)status["message"]);
    }

    [Fact]
    public async Task Patch_WithUnsupportedPatchTypes_Returns415AndLeavesObject()
    {
        using var created = await Client.PostAsync(ConfigMaps, Json(ConfigMap("patch415", "errors")));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        foreach (var type in new[] { "application/apply-patch+cbor", "text/plain", "application/json" })
        {
            using var req = new HttpRequestMessage(HttpMethod.Patch, $"{ConfigMaps}/patch415")
            {
                Content = new StringContent("""{"data":{"k":"changed"}}""", Encoding.UTF8, type),
            };
            using var res = await Client.SendAsync(req);
            await StatusAssert.IsFailureAsync(res, HttpStatusCode.UnsupportedMediaType, "UnsupportedMediaType");
        }
        using var get = await Client.GetAsync($"{ConfigMaps}/patch415");
        Assert.Equal("v", (string?)(await ReadObjectAsync(get))["data"]!["k"]);
    }

    [Fact]
    public async Task Patch_WithInvalidJsonPatch_Returns4xxStatusAndLeavesObject()
    {
        using var created = await Client.PostAsync(ConfigMaps, Json(ConfigMap("patch-bad", "errors")));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var req = new HttpRequestMessage(HttpMethod.Patch, $"{ConfigMaps}/patch-bad")
        {
            Content = Json("""[{"op":"test","path":"/data/k","value":"nope"}]""", "application/json-patch+json"),
        };
        using var res = await Client.SendAsync(req);
        Assert.InRange((int)res.StatusCode, 400, 499);
        await StatusAssert.IsFailureAsync(res, res.StatusCode, res.StatusCode == HttpStatusCode.UnprocessableEntity ? "Invalid" : "BadRequest");
        using var get = await Client.GetAsync($"{ConfigMaps}/patch-bad");
        Assert.Equal("v", (string?)(await ReadObjectAsync(get))["data"]!["k"]);
    }

    [Fact]
    public async Task Get_AcceptingOnlyProtobuf_Returns406Status()
    {
        using var req = new HttpRequestMessage(HttpMethod.Get, ConfigMaps);
        req.Headers.Accept.ParseAdd("application/vnd.kubernetes.protobuf");
        using var res = await Client.SendAsync(req);
        await StatusAssert.IsFailureAsync(res, HttpStatusCode.NotAcceptable, "NotAcceptable");
    }

    [Fact]
    public async Task List_AtResourceVersionOlderThanHistory_Returns410Expired()
    {
        await server.PushRevision1OutOfHistoryAsync();
        using var res = await Client.GetAsync($"{ConfigMaps}?resourceVersion=1&resourceVersionMatch=Exact");
        await StatusAssert.IsFailureAsync(res, HttpStatusCode.Gone, "Expired");
    }

    [Fact]
    public async Task Delete_WithMalformedDeleteOptions_Returns400AndKeepsObject()
    {
        using var created = await Client.PostAsync(ConfigMaps, Json(ConfigMap("del-bad", "errors")));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        foreach (var body in new[] { """{"propagationPolicy":5}""", """{"gracePeriodSeconds":"x"}""", "{not json" })
        {
            using var req = new HttpRequestMessage(HttpMethod.Delete, $"{ConfigMaps}/del-bad") { Content = Json(body) };
            using var res = await Client.SendAsync(req);
            await StatusAssert.IsFailureAsync(res, HttpStatusCode.BadRequest, "BadRequest");
        }
        using var get = await Client.GetAsync($"{ConfigMaps}/del-bad");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
    }
}
