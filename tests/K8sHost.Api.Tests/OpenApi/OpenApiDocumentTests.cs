using System.Text.Json.Nodes;
using K8sHost.Registry.Catalog;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace K8sHost.Api.Tests.OpenApi;

[Collection(OpenApiServerCollection.Name)]
public sealed class OpenApiDocumentTests(OpenApiServerFixture fixture)
{
    private readonly OpenApiTestHost _host = fixture.Host;

    private async Task<JsonObject> DocumentAsync(string gv)
    {
        var index = JsonNode.Parse(await _host.Client.GetStringAsync("/openapi/v3"))!;
        var url = index["paths"]![gv]!["serverRelativeURL"]!.GetValue<string>();
        return JsonNode.Parse(await _host.Client.GetStringAsync(url))!.AsObject();
    }

    private static JsonObject Schema(JsonObject doc, string name) =>
        doc["components"]!["schemas"]![name]?.AsObject() ?? throw new Xunit.Sdk.XunitException($"schema {name} missing");

    [Fact]
    public async Task Index_ListsEveryGroupVersionWithAHashedServerRelativeUrl()
    {
        var index = JsonNode.Parse(await _host.Client.GetStringAsync("/openapi/v3"))!["paths"]!.AsObject();

        Assert.Equal(
            ["api/v1", "apis/coordination.k8s.io/v1", "apis/discovery.k8s.io/v1", "apis/events.k8s.io/v1", "apis/rbac.authorization.k8s.io/v1"],
            index.Select(p => p.Key).Order(StringComparer.Ordinal));
        foreach (var (gv, entry) in index)
        {
            var url = entry!["serverRelativeURL"]!.GetValue<string>();
            Assert.Matches($"^/openapi/v3/{System.Text.RegularExpressions.Regex.Escape(gv)}\\?hash=[0-9A-F]{{128}}$", url);
        }
    }

    [Theory]
    [InlineData("api/v1", "", "Pod", "/api/v1/namespaces/{namespace}/pods/{name}")]
    [InlineData("api/v1", "", "Namespace", "/api/v1/namespaces/{name}")]
    [InlineData("api/v1", "", "Node", "/api/v1/nodes/{name}")]
    [InlineData("apis/coordination.k8s.io/v1", "coordination.k8s.io", "Lease", "/apis/coordination.k8s.io/v1/namespaces/{namespace}/leases/{name}")]
    [InlineData("apis/events.k8s.io/v1", "events.k8s.io", "Event", "/apis/events.k8s.io/v1/namespaces/{namespace}/events/{name}")]
    public async Task Document_HasPatchOperationPerKind_WithGvkObjectAndTheFourValidationParameters(string gv, string group, string kind, string path)
    {
        var doc = await DocumentAsync(gv);

        var patch = doc["paths"]![path]!["patch"]!.AsObject();
        var gvk = patch["x-kubernetes-group-version-kind"]!.AsObject();
        Assert.Equal(group, gvk["group"]!.GetValue<string>());
        Assert.Equal("v1", gvk["version"]!.GetValue<string>());
        Assert.Equal(kind, gvk["kind"]!.GetValue<string>());
        Assert.Equal("patch", patch["x-kubernetes-action"]!.GetValue<string>());
        var query = patch["parameters"]!.AsArray().Where(p => p!["in"]!.GetValue<string>() == "query")
            .ToDictionary(p => p!["name"]!.GetValue<string>(), p => p!["schema"]!["type"]!.GetValue<string>());
        Assert.Equal("string", query["dryRun"]);
        Assert.Equal("string", query["fieldManager"]);
        Assert.Equal("string", query["fieldValidation"]);
        Assert.Equal("boolean", query["force"]);
    }

    [Fact]
    public async Task EveryPatchableKindOfTheCatalog_HasAPatchOperationWithFieldValidation_AndASchemaWithItsGvk()
    {
        var catalog = _host.Services.GetRequiredService<ResourceCatalog>();
        foreach (var d in catalog.All.Where(d => d.Verbs.Contains("patch")))
        {
            var doc = await DocumentAsync(d.Group.Length == 0 ? $"api/{d.Version}" : $"apis/{d.Group}/{d.Version}");
            var patches = doc["paths"]!.AsObject()
                .Select(p => p.Value!["patch"])
                .Where(op => op?["x-kubernetes-group-version-kind"]?["kind"]?.GetValue<string>() == d.Kind
                             && op["x-kubernetes-group-version-kind"]!["group"]!.GetValue<string>() == d.Group)
                .ToList();
            Assert.True(patches.Count > 0, $"{d.QualifiedPlural}: no PATCH operation");
            Assert.All(patches, op => Assert.Contains(op!["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "fieldValidation"));
            var kinds = doc["components"]!["schemas"]!.AsObject()
                .Where(s => s.Value!["x-kubernetes-group-version-kind"] is JsonArray a
                            && a.Any(g => g!["kind"]!.GetValue<string>() == d.Kind && g["group"]!.GetValue<string>() == d.Group))
                .ToList();
            Assert.True(kinds.Count == 1, $"{d.QualifiedPlural}: {kinds.Count} schemas carry its GVK");
        }
    }

    [Fact]
    public async Task ReadReplaceAndCreate_UseTheKindSchemaForBodyAndResponse()
    {
        var doc = await DocumentAsync("api/v1");
        const string podRef = "#/components/schemas/io.k8s.api.core.v1.Pod";

        var item = doc["paths"]!["/api/v1/namespaces/{namespace}/pods/{name}"]!;
        var collection = doc["paths"]!["/api/v1/namespaces/{namespace}/pods"]!;
        Assert.Equal(podRef, item["get"]!["responses"]!["200"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
        Assert.Equal(podRef, item["put"]!["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
        Assert.Equal(podRef, item["put"]!["responses"]!["200"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
        Assert.Equal(podRef, collection["post"]!["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
        Assert.Equal("list", collection["get"]!["x-kubernetes-action"]!.GetValue<string>());
        Assert.Equal("#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Status",
            item["delete"]!["responses"]!["200"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
    }

    [Fact]
    public async Task Document_OnlyHoldsPathsOfItsOwnGroupVersion()
    {
        var core = await DocumentAsync("api/v1");
        var leases = await DocumentAsync("apis/coordination.k8s.io/v1");

        Assert.All(core["paths"]!.AsObject(), p => Assert.StartsWith("/api/v1/", p.Key));
        Assert.All(leases["paths"]!.AsObject(), p => Assert.StartsWith("/apis/coordination.k8s.io/v1/", p.Key));
        Assert.False(leases["components"]!["schemas"]!.AsObject().ContainsKey("io.k8s.api.core.v1.Pod"));
    }

    [Fact]
    public async Task Schemas_AreNamedLikeKubernetes_AndKindsCarryGvkArrays()
    {
        var core = await DocumentAsync("api/v1");
        var pod = Schema(core, "io.k8s.api.core.v1.Pod");
        Schema(core, "io.k8s.api.core.v1.PodSpec");
        Schema(core, "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
        Schema(core, "io.k8s.apimachinery.pkg.api.resource.Quantity");
        var gvks = pod["x-kubernetes-group-version-kind"]!.AsArray();
        var only = Assert.Single(gvks)!;
        Assert.Equal("", only["group"]!.GetValue<string>());
        Assert.Equal("v1", only["version"]!.GetValue<string>());
        Assert.Equal("Pod", only["kind"]!.GetValue<string>());
        Assert.Null(Schema(core, "io.k8s.api.core.v1.PodSpec")["x-kubernetes-group-version-kind"]);

        var lease = await DocumentAsync("apis/coordination.k8s.io/v1");
        Assert.Equal("coordination.k8s.io",
            Schema(lease, "io.k8s.api.coordination.v1.Lease")["x-kubernetes-group-version-kind"]![0]!["group"]!.GetValue<string>());
        Schema(lease, "io.k8s.api.coordination.v1.LeaseSpec");

        var events = await DocumentAsync("apis/events.k8s.io/v1");
        Schema(events, "io.k8s.api.events.v1.Event");
        Schema(events, "io.k8s.api.events.v1.EventSeries");
        Schema(events, "io.k8s.api.core.v1.ObjectReference");
    }

    [Fact]
    public async Task PodSpec_IsReferencedThroughAllOf_WithTheFieldDescription()
    {
        var doc = await DocumentAsync("api/v1");
        var pod = Schema(doc, "io.k8s.api.core.v1.Pod");

        Assert.StartsWith("Pod is a collection of containers", pod["description"]!.GetValue<string>());
        var spec = pod["properties"]!["spec"]!.AsObject();
        Assert.Equal("#/components/schemas/io.k8s.api.core.v1.PodSpec", spec["allOf"]![0]!["$ref"]!.GetValue<string>());
        Assert.StartsWith("Specification of the desired behavior of the pod.", spec["description"]!.GetValue<string>());
        var containers = Schema(doc, "io.k8s.api.core.v1.PodSpec")["properties"]!["containers"]!.AsObject();
        Assert.Equal("array", containers["type"]!.GetValue<string>());
        Assert.StartsWith("List of containers belonging to the pod.", containers["description"]!.GetValue<string>());
    }

    [Fact]
    public async Task Schemas_UsePlainKubernetesTypes_NotAspNetNumberStringUnionsOrNullable()
    {
        var doc = await DocumentAsync("api/v1");

        var port = Schema(doc, "io.k8s.api.core.v1.ContainerPort")["properties"]!["containerPort"]!.AsObject();
        Assert.Equal("integer", port["type"]!.GetValue<string>());
        Assert.Equal("int32", port["format"]!.GetValue<string>());
        Assert.Null(port["anyOf"]);
        var intOrString = Schema(doc, "io.k8s.apimachinery.pkg.util.intstr.IntOrString");
        Assert.Equal("string", intOrString["type"]!.GetValue<string>());
        Assert.True(intOrString["x-kubernetes-int-or-string"]!.GetValue<bool>());
        Assert.DoesNotContain("\"nullable\"", doc.ToJsonString());
        var limits = Schema(doc, "io.k8s.api.core.v1.ResourceRequirements")["properties"]!["limits"]!.AsObject();
        Assert.Equal("#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity", limits["additionalProperties"]!["$ref"]!.GetValue<string>());
    }

    [Fact]
    public async Task EveryReference_ResolvesInsideTheSameDocument()
    {
        foreach (var gv in new[] { "api/v1", "apis/coordination.k8s.io/v1", "apis/discovery.k8s.io/v1", "apis/events.k8s.io/v1" })
        {
            var doc = await DocumentAsync(gv);
            var schemas = doc["components"]!["schemas"]!.AsObject();
            var refs = System.Text.RegularExpressions.Regex.Matches(doc.ToJsonString(), "\"#/components/schemas/([^\"]+)\"")
                .Select(m => m.Groups[1].Value).Distinct().ToList();
            Assert.NotEmpty(refs);
            Assert.All(refs, r => Assert.True(schemas.ContainsKey(r), $"{gv}: dangling $ref {r}"));
        }
    }
}
