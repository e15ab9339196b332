using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using K8sHost.Api.OpenApi;
using K8sHost.Api.OpenApi.V2.Protocol;

namespace K8sHost.Api.Tests.OpenApi;

/// <summary>
/// GET /openapi/v2: the Swagger 2.0 document kubectl falls back to for client-side validation (a kind: List, an edit of
/// several objects), as JSON and as gnostic protobuf, converted from the same catalog as the v3 documents.
/// </summary>
[Collection(OpenApiServerCollection.Name)]
public sealed class OpenApiV2DocumentTests(OpenApiServerFixture fixture)
{
    private const string KubectlAccept = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";
    private readonly OpenApiTestHost _host = fixture.Host;

    private async Task<HttpResponseMessage> GetV2Async(string? accept, string? ifNoneMatch = null, HttpMethod? method = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, "/openapi/v2");
        if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);
        if (ifNoneMatch is not null) request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(ifNoneMatch));
        return await _host.Client.SendAsync(request);
    }

    private async Task<JsonObject> V2JsonAsync() => JsonNode.Parse(await _host.Client.GetStringAsync("/openapi/v2"))!.AsObject();

    private async Task<List<JsonObject>> V3DocumentsAsync()
    {
        var index = JsonNode.Parse(await _host.Client.GetStringAsync("/openapi/v3"))!["paths"]!.AsObject();
        var docs = new List<JsonObject>();
        foreach (var (_, entry) in index)
            docs.Add(JsonNode.Parse(await _host.Client.GetStringAsync(entry!["serverRelativeURL"]!.GetValue<string>()))!.AsObject());
        return docs;
    }

    [Fact]
    public async Task WithoutAccept_ServesSwagger2Json_WithEveryV3SchemaAndPath()
    {
        using var response = await GetV2Async(null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        var v2 = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal("2.0", v2["swagger"]!.GetValue<string>());
        var definitions = v2["definitions"]!.AsObject();
        var paths = v2["paths"]!.AsObject();
        foreach (var v3 in await V3DocumentsAsync())
        {
            foreach (var (name, _) in v3["components"]!["schemas"]!.AsObject()) Assert.True(definitions.ContainsKey(name), name);
            foreach (var (path, item) in v3["paths"]!.AsObject())
                Assert.Equal(item!.AsObject().Select(o => o.Key).Order(), paths[path]!.AsObject().Select(o => o.Key).Order());
        }
        Assert.DoesNotContain("#/components/", v2.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("apiKey", v2["securityDefinitions"]!["BearerToken"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Json_UsesSwagger2Shapes_DescribedReferencesBodyParametersAndMediaTypes()
    {
        var v2 = await V2JsonAsync();

        // A described reference keeps its description beside $ref (v3 needed allOf for that).
        var metadata = v2["definitions"]!["io.k8s.api.core.v1.ConfigMap"]!["properties"]!["metadata"]!.AsObject();
        Assert.Equal("#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", metadata["$ref"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(metadata["description"]?.GetValue<string>()));
        Assert.Null(metadata["allOf"]);

        var patch = v2["paths"]!["/api/v1/namespaces/{namespace}/configmaps/{name}"]!["patch"]!.AsObject();
        Assert.Contains("application/strategic-merge-patch+json", patch["consumes"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal(["application/json"], patch["produces"]!.AsArray().Select(c => c!.GetValue<string>()));
        var parameters = patch["parameters"]!.AsArray().Select(p => p!.AsObject()).ToList();
        var body = Assert.Single(parameters, p => p["in"]!.GetValue<string>() == "body");
        Assert.Equal("#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch", body["schema"]!["$ref"]!.GetValue<string>());
        var fieldValidation = Assert.Single(parameters, p => p["name"]!.GetValue<string>() == "fieldValidation");
        Assert.Equal("query", fieldValidation["in"]!.GetValue<string>());
        Assert.Equal("string", fieldValidation["type"]!.GetValue<string>());
        Assert.Null(fieldValidation["schema"]);
        Assert.Equal("#/definitions/io.k8s.api.core.v1.ConfigMap", patch["responses"]!["200"]!["schema"]!["$ref"]!.GetValue<string>());
        Assert.Equal("patch", patch["x-kubernetes-action"]!.GetValue<string>());
    }

    [Fact]
    public async Task WithKubectlsAccept_ServesTheGnosticProtobufDocument_WithTheSameContentAsTheJson()
    {
        using var response = await GetV2Async(KubectlAccept);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(OpenApiV2Endpoint.ProtobufContentType, response.Content.Headers.ContentType!.MediaType);
        var doc = Document.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync());
        var json = await V2JsonAsync();
        Assert.Equal("2.0", doc.Swagger);
        Assert.Equal(json["info"]!["title"]!.GetValue<string>(), doc.Info.Title);
        Assert.Equal(json["definitions"]!.AsObject().Select(d => d.Key), doc.Definitions.AdditionalProperties.Select(d => d.Name));
        Assert.Equal(json["paths"]!.AsObject().Select(d => d.Key), doc.Paths.Path.Select(p => p.Name));

        // What kubectl's validator reads: the kind's GVK extension (YAML text) and its fields, references by name.
        var configMap = doc.Definitions.AdditionalProperties.Single(d => d.Name == "io.k8s.api.core.v1.ConfigMap").Value;
        var gvk = configMap.VendorExtension.Single(e => e.Name == "x-kubernetes-group-version-kind").Value.Yaml;
        Assert.True(JsonNode.DeepEquals(json["definitions"]!["io.k8s.api.core.v1.ConfigMap"]!["x-kubernetes-group-version-kind"], JsonNode.Parse(gvk)));
        Assert.Equal(["object"], configMap.Type.Value);
        var fields = configMap.Properties.AdditionalProperties.ToDictionary(p => p.Name, p => p.Value);
        Assert.Equal(["apiVersion", "binaryData", "data", "immutable", "kind", "metadata"], fields.Keys.Order());
        Assert.Equal("#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", fields["metadata"].Ref);
        Assert.Equal(["string"], fields["data"].AdditionalProperties.Schema.Type.Value);

        foreach (var definition in doc.Definitions.AdditionalProperties)
            AssertSameSchema(json["definitions"]![definition.Name]!.AsObject(), definition.Value, definition.Name);

        var patch = doc.Paths.Path.Single(p => p.Name == "/api/v1/namespaces/{namespace}/configmaps/{name}").Value.Patch;
        Assert.Contains(patch.Parameters, p => p.Parameter.NonBodyParameter?.QueryParameterSubSchema?.Name == "fieldValidation");
        Assert.Equal("#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch", patch.Parameters.Single(p => p.Parameter.BodyParameter is not null).Parameter.BodyParameter.Schema.Ref);
    }

    /// <summary>Every field the validator and strategic merge read survives the protobuf encoding, at every depth.</summary>
    private static void AssertSameSchema(JsonObject json, Schema proto, string where)
    {
        Assert.True((json["$ref"]?.GetValue<string>() ?? "") == proto.Ref, where + ".$ref");
        Assert.True((json["type"]?.GetValue<string>() ?? "") == (proto.Type?.Value.SingleOrDefault() ?? ""), where + ".type");
        Assert.True((json["format"]?.GetValue<string>() ?? "") == proto.Format, where + ".format");
        Assert.True((json["description"]?.GetValue<string>() ?? "") == proto.Description, where + ".description");
        var extensions = json.Where(p => p.Key.StartsWith("x-", StringComparison.Ordinal)).ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal(extensions.Keys, proto.VendorExtension.Select(e => e.Name));
        foreach (var e in proto.VendorExtension)
            Assert.True(JsonNode.DeepEquals(extensions[e.Name], JsonNode.Parse(e.Value.Yaml)), $"{where}.{e.Name}");
        var properties = json["properties"]?.AsObject() ?? [];
        Assert.Equal(properties.Select(p => p.Key), proto.Properties?.AdditionalProperties.Select(p => p.Name) ?? []);
        foreach (var p in proto.Properties?.AdditionalProperties ?? [])
            AssertSameSchema(properties[p.Name]!.AsObject(), p.Value, $"{where}.{p.Name}");
        if (json["items"] is JsonObject items) AssertSameSchema(items, Assert.Single(proto.Items.Schema), where + "[]");
        if (json["additionalProperties"] is JsonObject map) AssertSameSchema(map, proto.AdditionalProperties.Schema, where + "{}");
    }

    [Fact]
    public async Task EachForm_HasItsOwnContentHashEtag_AndAMatchingIfNoneMatchReturns304()
    {
        using var json = await GetV2Async("application/json");
        using var protobuf = await GetV2Async(KubectlAccept);
        var jsonTag = json.Headers.ETag!.Tag;
        var protobufTag = protobuf.Headers.ETag!.Tag;

        Assert.Equal($"\"{Convert.ToHexString(System.Security.Cryptography.SHA512.HashData(await json.Content.ReadAsByteArrayAsync()))}\"", jsonTag);
        Assert.Equal($"\"{Convert.ToHexString(System.Security.Cryptography.SHA512.HashData(await protobuf.Content.ReadAsByteArrayAsync()))}\"", protobufTag);
        Assert.NotEqual(jsonTag, protobufTag);
        Assert.Contains("Accept", json.Headers.Vary);
        Assert.Equal("no-cache, private", protobuf.Headers.CacheControl!.ToString());

        using var notModified = await GetV2Async(KubectlAccept, protobufTag);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
        using var otherForm = await GetV2Async("application/json", protobufTag);
        Assert.Equal(HttpStatusCode.OK, otherForm.StatusCode);
    }

    [Fact]
    public async Task Head_ReturnsHeadersWithoutABody()
    {
        using var response = await GetV2Async(KubectlAccept, method: HttpMethod.Head);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(response.Headers.ETag);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task AcceptingNeitherForm_Returns406Status()
    {
        using var response = await GetV2Async("application/yaml");

        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("Status", status["kind"]!.GetValue<string>());
        Assert.Equal("NotAcceptable", status["reason"]!.GetValue<string>());
        Assert.Equal(406, status["code"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("application/com.github.proto-openapi.spec.v2@v1.0+protobuf", true)]
    [InlineData("application/com.github.proto-openapi.spec.v2.v1.0+protobuf", true)]
    [InlineData("application/json", false)]
    [InlineData("*/*", false)]
    [InlineData("application/*", false)]
    [InlineData("", false)]
    [InlineData("application/json;q=0.5, application/com.github.proto-openapi.spec.v2@v1.0+protobuf", true)]
    [InlineData("application/com.github.proto-openapi.spec.v2@v1.0+protobuf;q=0, application/json", false)]
    [InlineData("text/html, */*;q=0.8", false)]
    [InlineData("application/yaml", null)]
    [InlineData("application/vnd.kubernetes.protobuf", null)]
    public void Accept_ChoosesTheBestRankedServedForm(string accept, bool? protobuf)
        => Assert.Equal(protobuf, OpenApiV2Endpoint.ChooseProtobuf(accept));
}
