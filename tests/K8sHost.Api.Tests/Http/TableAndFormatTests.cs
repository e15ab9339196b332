using System.Net;
using System.Text.Json.Nodes;
using static K8sHost.Api.Tests.Http.ApiServerFixture;

namespace K8sHost.Api.Tests.Http;

/// <summary>Content negotiation: Table (kubectl get), PartialObjectMetadata, YAML, and JSON for typed clients.</summary>
[Collection(ApiServerCollection.Name)]
public sealed class TableAndFormatTests(ApiServerFixture server) : IAsyncLifetime
{
    private const string TableAccept =
        "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
    private const string Pods = "/api/v1/namespaces/tables/pods";

    public async Task InitializeAsync()
    {
        foreach (var name in new[] { "web-a", "web-b" })
        {
            using var res = await server.Client.PostAsync(Pods, Json(Pod(name, "tables")));
            Assert.True(res.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, await res.Content.ReadAsStringAsync());
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<HttpResponseMessage> GetAsync(string path, string accept)
    {
        var req = new HttpRequestMessage(HttpMethod.Get, path);
        req.Headers.TryAddWithoutValidation("Accept", accept);
        var res = await server.Client.SendAsync(req);
        Assert.True(res.StatusCode == HttpStatusCode.OK, await res.Content.ReadAsStringAsync());
        return res;
    }

    [Fact]
    public async Task ListPods_WithTableAccept_ReturnsTableWithPodColumnsAndPartialObjectMetadataRows()
    {
        using var res = await GetAsync(Pods + "?limit=500", TableAccept);
        Assert.Equal("application/json;as=Table;v=v1;g=meta.k8s.io", await RawHttp.ContentTypeAsync(server.BaseAddress, Pods + "?limit=500", TableAccept));
        var table = await ReadObjectAsync(res);
        Assert.Equal("Table", (string?)table["kind"]);
        Assert.Equal("meta.k8s.io/v1", (string?)table["apiVersion"]);
        Assert.False(string.IsNullOrEmpty((string?)table["metadata"]!["resourceVersion"]));
        var columns = table["columnDefinitions"]!.AsArray().Select(c => (string?)c!["name"]).ToList();
        Assert.Equal(["Name", "Ready", "Status", "Restarts", "Age"], columns.Take(5));
        Assert.Equal("name", (string?)table["columnDefinitions"]![0]!["format"]);
        var rows = table["rows"]!.AsArray();
        Assert.Equal(2, rows.Count);
        var row = rows.Single(r => (string?)r!["cells"]![0] == "web-a")!;
        Assert.Equal(columns.Count, row["cells"]!.AsArray().Count);
        var obj = row["object"]!;
        Assert.Equal("PartialObjectMetadata", (string?)obj["kind"]);
        Assert.Equal("meta.k8s.io/v1", (string?)obj["apiVersion"]);
        Assert.Equal("tables", (string?)obj["metadata"]!["namespace"]);
        Assert.Equal("web", (string?)obj["metadata"]!["labels"]!["app"]);
        Assert.False(string.IsNullOrEmpty((string?)obj["metadata"]!["uid"]));
        Assert.Null(obj["spec"]);
    }

    [Fact]
    public async Task GetPod_WithTableAcceptAndIncludeObjectObject_ReturnsOneRowWithTheFullObject()
    {
        using var res = await GetAsync(Pods + "/web-a?includeObject=Object", TableAccept);
        var table = await ReadObjectAsync(res);
        var row = table["rows"]!.AsArray().Single()!;
        Assert.Equal("Pod", (string?)row["object"]!["kind"]);
        Assert.Equal("nginx", (string?)row["object"]!["spec"]!["containers"]![0]!["image"]);
    }

    [Fact]
    public async Task ListPods_WithIncludeObjectNone_ReturnsRowsWithoutObject()
    {
        using var res = await GetAsync(Pods + "?includeObject=None", TableAccept);
        var table = await ReadObjectAsync(res);
        Assert.All(table["rows"]!.AsArray(), r => Assert.False(r!.AsObject().ContainsKey("object")));
    }

    [Fact]
    public async Task ListPods_WithTableV1Beta1Only_AnswersV1Beta1Table()
    {
        using var res = await GetAsync(Pods, "application/json;as=Table;v=v1beta1;g=meta.k8s.io");
        Assert.Equal("application/json;as=Table;v=v1beta1;g=meta.k8s.io",
            await RawHttp.ContentTypeAsync(server.BaseAddress, Pods, "application/json;as=Table;v=v1beta1;g=meta.k8s.io"));
        Assert.Equal("meta.k8s.io/v1beta1", (string?)(await ReadObjectAsync(res))["apiVersion"]);
    }

    [Fact]
    public async Task ListPods_WithPartialObjectMetadataListAccept_ReturnsMetadataOnlyList()
    {
        using var res = await GetAsync(Pods, "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json");
        Assert.Equal("application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io",
            await RawHttp.ContentTypeAsync(server.BaseAddress, Pods, "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json"));
        var list = await ReadObjectAsync(res);
        Assert.Equal("PartialObjectMetadataList", (string?)list["kind"]);
        var items = list["items"]!.AsArray();
        Assert.Equal(2, items.Count);
        Assert.All(items, i =>
        {
            Assert.Equal("PartialObjectMetadata", (string?)i!["kind"]);
            Assert.Null(i["spec"]);
            Assert.NotNull(i["metadata"]!["name"]);
        });
    }

    [Fact]
    public async Task GetPod_WithPartialObjectMetadataAccept_ReturnsMetadataOnly()
    {
        using var res = await GetAsync(Pods + "/web-b", "application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io");
        var obj = await ReadObjectAsync(res);
        Assert.Equal("PartialObjectMetadata", (string?)obj["kind"]);
        Assert.Equal("web-b", (string?)obj["metadata"]!["name"]);
        Assert.Null(obj["spec"]);
    }

    [Fact]
    public async Task GetPod_WithProtobufThenJsonAccept_AnswersJsonObject()
    {
        using var res = await GetAsync(Pods + "/web-a", "application/vnd.kubernetes.protobuf,application/json");
        Assert.Equal("application/json", res.Content.Headers.ContentType!.MediaType);
        Assert.Equal("Pod", (string?)(await ReadObjectAsync(res))["kind"]);
    }

    [Fact]
    public async Task GetPod_WithYamlAccept_AnswersYamlThatKeepsStringTypes()
    {
        using var created = await server.Client.PostAsync("/api/v1/namespaces/tables/configmaps",
            Json(ConfigMap("yaml-cm", "tables", """{"port":"8080","flag":"true","empty":"","multi":"a\nb"}""")));
        Assert.True(created.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict);
        using var res = await GetAsync("/api/v1/namespaces/tables/configmaps/yaml-cm", "application/yaml");
        Assert.Equal("application/yaml", res.Content.Headers.ContentType!.MediaType);
        var yaml = await res.Content.ReadAsStringAsync();
        Assert.Contains("kind: ConfigMap", yaml);
        Assert.Contains("port: \"8080\"", yaml);
        Assert.Contains("flag: \"true\"", yaml);
        Assert.Contains("empty: \"\"", yaml);
        Assert.Contains("name: yaml-cm", yaml);
    }

    [Fact]
    public async Task ListPods_WithYamlAccept_AnswersYamlList()
    {
        using var res = await GetAsync(Pods, "application/yaml");
        var yaml = await res.Content.ReadAsStringAsync();
        Assert.StartsWith("kind: PodList", yaml);
        Assert.Contains("- apiVersion: v1", yaml);
        Assert.Contains("name: web-a", yaml);
    }
}
