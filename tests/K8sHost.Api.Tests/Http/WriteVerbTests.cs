using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using static K8sHost.Api.Tests.Http.ApiServerFixture;

namespace K8sHost.Api.Tests.Http;

/// <summary>Status codes and bodies of create, update, patch, delete and the pod subresources.</summary>
[Collection(ApiServerCollection.Name)]
public sealed class WriteVerbTests(ApiServerFixture server)
{
    private const string ConfigMaps = "/api/v1/namespaces/writes/configmaps";
    private const string Pods = "/api/v1/namespaces/writes/pods";
    private HttpClient Client => server.Client;

    private async Task<HttpResponseMessage> PatchAsync(string url, string body, string contentType)
    {
        using var req = new HttpRequestMessage(HttpMethod.Patch, url) { Content = Json(body, contentType) };
        return await Client.SendAsync(req);
    }

    private async Task CreateConfigMapAsync(string name)
    {
        using var res = await Client.PostAsync(ConfigMaps, Json(ConfigMap(name, "writes")));
        Assert.Equal(HttpStatusCode.Created, res.StatusCode);
    }

    [Fact]
    public async Task Create_Returns201WithServerFilledMetadata()
    {
        using var res = await Client.PostAsync(ConfigMaps + "?fieldManager=kubectl-create&fieldValidation=Strict", Json(ConfigMap("created", "writes")));
        Assert.Equal(HttpStatusCode.Created, res.StatusCode);
        var obj = await ReadObjectAsync(res);
        Assert.False(string.IsNullOrEmpty((string?)obj["metadata"]!["uid"]));
        Assert.False(string.IsNullOrEmpty((string?)obj["metadata"]!["resourceVersion"]));
    }

    [Fact]
    public async Task Create_WithYamlBody_IsDecodedLikeJson()
    {
        var yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  port: \"80\"\n";
        using var res = await Client.PostAsync(ConfigMaps, new StringContent(yaml, Encoding.UTF8, "application/yaml"));
        Assert.Equal(HttpStatusCode.Created, res.StatusCode);
        Assert.Equal("80", (string?)(await ReadObjectAsync(res))["data"]!["port"]);
    }

    [Fact]
    public async Task Create_WithDryRunAll_Returns201ButStoresNothing()
    {
        using var res = await Client.PostAsync(ConfigMaps + "?dryRun=All", Json(ConfigMap("dry", "writes")));
        Assert.Equal(HttpStatusCode.Created, res.StatusCode);
        using var get = await Client.GetAsync($"{ConfigMaps}/dry");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Fact]
    public async Task Create_WithUnknownFieldUnderWarn_Returns201WithWarningHeader()
    {
        using var res = await Client.PostAsync(ConfigMaps + "?fieldValidation=Warn",
            Json("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"warned"},"data":{"a":"1","a":"2"}}"""));
        Assert.Equal(HttpStatusCode.Created, res.StatusCode);
        var warnings = res.Headers.GetValues("Warning").ToList();
        Assert.Contains(warnings, w => w.StartsWith("299 - \"", StringComparison.Ordinal) && w.Contains("duplicate field"));
    }

    [Fact]
    public async Task MergePatch_Returns200WithThePatchedObject()
    {
        await CreateConfigMapAsync("merge-me");
        using var res = await PatchAsync($"{ConfigMaps}/merge-me?fieldManager=kubectl-label", """{"metadata":{"labels":{"tier":"fe"}}}""",
            "application/merge-patch+json");
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        Assert.Equal("fe", (string?)(await ReadObjectAsync(res))["metadata"]!["labels"]!["tier"]);
    }

    [Fact]
    public async Task ApplyPatch_ToMissingObject_Returns201ThenUpdateReturns200()
    {
        var body = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"applied","namespace":"writes"},"data":{"k":"1"}}""";
        using var created = await PatchAsync($"{ConfigMaps}/applied?fieldManager=helm&fieldValidation=Strict&force=false", body, "application/apply-patch+yaml");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var updated = await PatchAsync($"{ConfigMaps}/applied?fieldManager=helm&force=false", body.Replace("\"1\"", "\"2\""), "application/apply-patch+yaml");
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal("2", (string?)(await ReadObjectAsync(updated))["data"]!["k"]);
    }

    [Fact]
    public async Task NonApplyPatch_WithForce_Returns400()
    {
        await CreateConfigMapAsync("forced");
        using var res = await PatchAsync($"{ConfigMaps}/forced?force=true", """{"data":{"k":"x"}}""", "application/merge-patch+json");
        await StatusAssert.IsFailureAsync(res, HttpStatusCode.BadRequest, "BadRequest");
    }

    [Fact]
    public async Task Delete_WithPropagationBody_Returns200WithTheObjectAndRemovesIt()
    {
        await CreateConfigMapAsync("delete-me");
        using var req = new HttpRequestMessage(HttpMethod.Delete, $"{ConfigMaps}/delete-me") { Content = Json("""{"propagationPolicy":"Background"}""") };
        using var res = await Client.SendAsync(req);
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        Assert.Equal("delete-me", (string?)(await ReadObjectAsync(res))["metadata"]!["name"]);
        using var get = await Client.GetAsync($"{ConfigMaps}/delete-me");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Fact]
    public async Task Delete_WithProtobufDeleteOptionsBody_IsAcceptedLikeHelmUninstall()
    {
        await CreateConfigMapAsync("pb-delete");
        // "k8s\0" + runtime.Unknown{typeMeta{apiVersion "v1", kind "DeleteOptions"}, raw{propagationPolicy(4) "Background"}}.
        byte[] typeMeta = [0x0a, 0x02, .. "v1"u8, 0x12, 0x0d, .. "DeleteOptions"u8];
        byte[] raw = [0x22, 0x0a, .. "Background"u8];
        var content = new ByteArrayContent([.. "k8s\0"u8, 0x0a, (byte)typeMeta.Length, .. typeMeta, 0x12, (byte)raw.Length, .. raw]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.kubernetes.protobuf");
        using var req = new HttpRequestMessage(HttpMethod.Delete, $"{ConfigMaps}/pb-delete") { Content = content };
        using var res = await Client.SendAsync(req);
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        using var get = await Client.GetAsync($"{ConfigMaps}/pb-delete");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Fact]
    public async Task Delete_OverHttp2WithUnframedBody_HonoursTheDeleteOptions()
    {
        await CreateConfigMapAsync("h2-delete");
        using var client = server.NewHttp2Client();
        // No Content-Length: over HTTP/2 the body is just DATA frames, with no length or chunked header to announce it.
        var content = new StreamContent(new UnknownLengthStream(Encoding.UTF8.GetBytes("""{"dryRun":["All"]}""")));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var req = new HttpRequestMessage(HttpMethod.Delete, $"{ConfigMaps}/h2-delete")
        {
            Content = content,
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using var res = await client.SendAsync(req);
        Assert.Equal(HttpVersion.Version20, res.Version);
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        // The body asked for a dry run: the object must still be there.
        using var get = await Client.GetAsync($"{ConfigMaps}/h2-delete");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
    }

    [Fact]
    public async Task Delete_WithDryRunQuery_KeepsTheObject()
    {
        await CreateConfigMapAsync("dry-delete");
        using var res = await Client.DeleteAsync($"{ConfigMaps}/dry-delete?dryRun=All");
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        using var get = await Client.GetAsync($"{ConfigMaps}/dry-delete");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
    }

    [Fact]
    public async Task DeleteCollection_WithLabelSelector_DeletesOnlyMatchesAndReturnsThem()
    {
        await server.EnsureNamespaceAsync("writes-dc");
        foreach (var (name, app) in new[] { ("dc-a", "x"), ("dc-b", "x"), ("dc-c", "y") })
        {
            using var res = await Client.PostAsync("/api/v1/namespaces/writes-dc/configmaps",
                Json(ConfigMap(name, "writes-dc").Replace("\"namespace\"", $"\"labels\":{{\"app\":\"{app}\"}},\"namespace\"")));
            Assert.Equal(HttpStatusCode.Created, res.StatusCode);
        }
        using var deleted = await Client.DeleteAsync("/api/v1/namespaces/writes-dc/configmaps?labelSelector=app%3Dx");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        var body = await ReadObjectAsync(deleted);
        Assert.Equal("ConfigMapList", (string?)body["kind"]);
        Assert.Equal(2, body["items"]!.AsArray().Count);
        using var left = await Client.GetAsync("/api/v1/namespaces/writes-dc/configmaps");
        Assert.Equal(["dc-c"], (await ReadObjectAsync(left))["items"]!.AsArray().Select(i => (string?)i!["metadata"]!["name"]));
    }

    [Fact]
    public async Task Eviction_Returns201SuccessStatusAndRemovesThePod()
    {
        using var created = await Client.PostAsync(Pods, Json(Pod("evict-me", "writes")));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var res = await Client.PostAsync($"{Pods}/evict-me/eviction",
            Json("""{"kind":"Eviction","apiVersion":"policy/v1","metadata":{"name":"evict-me","namespace":"writes"},"deleteOptions":{}}"""));
        Assert.Equal(HttpStatusCode.Created, res.StatusCode);
        var status = await ReadObjectAsync(res);
        Assert.Equal("Status", (string?)status["kind"]);
        Assert.Equal("Success", (string?)status["status"]);
        using var get = await Client.GetAsync($"{Pods}/evict-me");
        var pod = get.StatusCode == HttpStatusCode.OK ? await ReadObjectAsync(get) : null;
        // Removed, or (graceful pods) marked for deletion.
        Assert.True(pod is null || pod["metadata"]!["deletionTimestamp"] is not null, "the pod was neither deleted nor marked for deletion");
    }

    [Fact]
    public async Task Eviction_WithMismatchedName_Returns400AndKeepsThePod()
    {
        using var created = await Client.PostAsync(Pods, Json(Pod("evict-keep", "writes")));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var res = await Client.PostAsync($"{Pods}/evict-keep/eviction",
            Json("""{"kind":"Eviction","apiVersion":"policy/v1","metadata":{"name":"someone-else"}}"""));
        await StatusAssert.IsFailureAsync(res, HttpStatusCode.BadRequest, "BadRequest");
        using var get = await Client.GetAsync($"{Pods}/evict-keep");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Null((await ReadObjectAsync(get))["metadata"]!["deletionTimestamp"]);
    }

    [Fact]
    public async Task StatusSubresource_PutChangesOnlyStatus()
    {
        using var created = await Client.PostAsync(Pods, Json(Pod("status-pod", "writes")));
        var pod = await ReadObjectAsync(created);
        pod["status"] = new JsonObject { ["phase"] = "Running" };
        pod["spec"]!["containers"]![0]!["image"] = "changed";
        using var res = await Client.PutAsync($"{Pods}/status-pod/status", Json(pod.ToJsonString()));
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        var updated = await ReadObjectAsync(res);
        Assert.Equal("Running", (string?)updated["status"]!["phase"]);
        Assert.Equal("nginx", (string?)updated["spec"]!["containers"]![0]!["image"]);
        using var get = await Client.GetAsync($"{Pods}/status-pod/status");
        Assert.Equal("Running", (string?)(await ReadObjectAsync(get))["status"]!["phase"]);
    }

    [Fact]
    public async Task Binding_Returns201SuccessStatusAndAssignsTheNode()
    {
        using var created = await Client.PostAsync(Pods, Json(Pod("bind-me", "writes")));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var res = await Client.PostAsync($"{Pods}/bind-me/binding",
            Json("""{"apiVersion":"v1","kind":"Binding","metadata":{"name":"bind-me"},"target":{"kind":"Node","name":"node-b1"}}"""));
        Assert.Equal(HttpStatusCode.Created, res.StatusCode);
        Assert.Equal("Success", (string?)(await ReadObjectAsync(res))["status"]);
        using var get = await Client.GetAsync($"{Pods}/bind-me");
        Assert.Equal("node-b1", (string?)(await ReadObjectAsync(get))["spec"]!["nodeName"]);
    }

    [Fact]
    public async Task Log_WithoutNodeAgent_ReturnsAStatusNotAServerError()
    {
        using var created = await Client.PostAsync(Pods, Json(Pod("log-pod", "writes")));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var res = await Client.GetAsync($"{Pods}/log-pod/log?container=c");
        var status = await StatusAssert.IsFailureAsync(res, HttpStatusCode.BadRequest, "BadRequest");
        Assert.Contains("log", (string?)status["message"]);
        using var missing = await Client.GetAsync($"{Pods}/no-such-pod/log");
        await StatusAssert.IsFailureAsync(missing, HttpStatusCode.NotFound, "NotFound");
    }

    [Fact]
    public async Task ClusterScopedCreateGetDelete_UseThePathWithoutNamespace()
    {
        using var created = await Client.PostAsync("/api/v1/nodes", Json("""{"apiVersion":"v1","kind":"Node","metadata":{"name":"node-w1"}}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var get = await Client.GetAsync("/api/v1/nodes/node-w1");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        using var del = await Client.DeleteAsync("/api/v1/nodes/node-w1");
        Assert.Equal(HttpStatusCode.OK, del.StatusCode);
    }
}
