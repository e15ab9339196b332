using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using K8sHost.Api.Endpoints;
using K8sHost.ApiMachinery.Json;
using static K8sHost.Api.Tests.Http.ApiServerFixture;

namespace K8sHost.Api.Tests.Http;

/// <summary>
/// Replies that clients and scripts compare with kube-apiserver's: error wording, Status encoding, preconditions,
/// protected namespaces, routing's own 404/405, node-agent subresources, and client values that used to reach a 500.
/// </summary>
[Collection(ApiServerCollection.Name)]
public sealed class KubeCompatErrorTests(ApiServerFixture server)
{
    private const string Ns = "compat";
    private const string ConfigMaps = "/api/v1/namespaces/compat/configmaps";
    private HttpClient Client => server.Client;

    private async Task<JsonObject> CreateConfigMapAsync(string name, string data = """{"k":"v"}""")
    {
        await server.EnsureNamespaceAsync(Ns);
        using var res = await Client.PostAsync(ConfigMaps, Json(ConfigMap(name, Ns, data)));
        Assert.Equal(HttpStatusCode.Created, res.StatusCode);
        return await ReadObjectAsync(res);
    }

    private static async Task<string> MessageAsync(HttpResponseMessage res, HttpStatusCode code, string reason) =>
        (string)(await StatusAssert.IsFailureAsync(res, code, reason))["message"]!;

    private async Task<HttpResponseMessage> PostConfigMapAsync(string body, string contentType = "application/json")
    {
        await server.EnsureNamespaceAsync(Ns);
        return await Client.PostAsync(ConfigMaps, Json(body, contentType));
    }

    // ---- item 3: resourceVersion "0" ----

    [Fact]
    public async Task Update_WithResourceVersionZero_IsUnconditional()
    {
        await CreateConfigMapAsync("rv-zero-put");
        using var bump = await Client.PutAsync($"{ConfigMaps}/rv-zero-put", Json(ConfigMap("rv-zero-put", Ns, """{"k":"2"}""")));
        Assert.Equal(HttpStatusCode.OK, bump.StatusCode);

        using var res = await Client.PutAsync($"{ConfigMaps}/rv-zero-put",
            Json("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"rv-zero-put","resourceVersion":"0"},"data":{"k":"3"}}"""));
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        Assert.Equal("3", (string?)(await ReadObjectAsync(res))["data"]!["k"]);
    }

    [Fact]
    public async Task MergePatch_WithResourceVersionZero_IsUnconditional_ButAStaleOneConflicts()
    {
        var created = await CreateConfigMapAsync("rv-zero-patch");
        var firstRv = (string)created["metadata"]!["resourceVersion"]!;
        using var bump = await Client.PatchAsync($"{ConfigMaps}/rv-zero-patch", Json("""{"data":{"k":"2"}}""", "application/merge-patch+json"));
        Assert.Equal(HttpStatusCode.OK, bump.StatusCode);

        using var zero = await Client.PatchAsync($"{ConfigMaps}/rv-zero-patch",
            Json("""{"metadata":{"resourceVersion":"0"},"data":{"k":"3"}}""", "application/merge-patch+json"));
        Assert.Equal(HttpStatusCode.OK, zero.StatusCode);
        using var stale = await Client.PatchAsync($"{ConfigMaps}/rv-zero-patch",
            Json($$$"""{"metadata":{"resourceVersion":"{{{firstRv}}}"},"data":{"k":"4"}}""", "application/merge-patch+json"));
        await StatusAssert.IsFailureAsync(stale, HttpStatusCode.Conflict, "Conflict");
    }

    // ---- item 5: one encoder ----

    [Fact]
    public async Task ErrorStatus_IsEscapedLikeObjectBodies_AndOmitsTheEmptyCoreGroup()
    {
        await CreateConfigMapAsync("twice");
        using var res = await PostConfigMapAsync(ConfigMap("twice", Ns));
        Assert.Equal(HttpStatusCode.Conflict, res.StatusCode);
        var raw = await res.Content.ReadAsStringAsync();
        Assert.Contains("""configmaps \"twice\" already exists""", raw);
        Assert.DoesNotContain("\\u0022", raw);
        var details = JsonNode.Parse(raw)!["details"]!.AsObject();
        Assert.False(details.ContainsKey("group"), raw);
        Assert.Equal("twice", (string?)details["name"]);
        Assert.Equal("configmaps", (string?)details["kind"]);
    }

    [Fact]
    public async Task ErrorStatus_KeepsNonAsciiTextAsUtf8_AsObjectBodiesDo()
    {
        using var res = await PostConfigMapAsync("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"ünïcode"}}""");
        var raw = await res.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, res.StatusCode);
        Assert.Contains("ünïcode", raw);
        Assert.DoesNotContain("\\u00FC", raw, StringComparison.OrdinalIgnoreCase);
    }

    // ---- item 6: decode, kind-mismatch and type errors in kube-apiserver's words ----

    [Fact]
    public async Task Create_WithBodyThatIsNotJson_SaysCouldNotGetVersionKind()
    {
        using var res = await PostConfigMapAsync("abc");
        Assert.Equal(
            "the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse error: invalid character 'a' looking for beginning of value (616263)",
            await MessageAsync(res, HttpStatusCode.BadRequest, "BadRequest"));
    }

    [Fact]
    public async Task Create_WithBrokenJsonObject_QuotesTheStartOfTheBody()
    {
        using var res = await PostConfigMapAsync("""{"metadata":{"name":"x"},"data":{"k":}}""");
        Assert.Equal(
            """the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse error: invalid character '}' looking for beginning of value ({"metadata":{"name":"x"},"data ...)""",
            await MessageAsync(res, HttpStatusCode.BadRequest, "BadRequest"));
    }

    [Fact]
    public async Task Create_WithEmptyBody_SaysUnexpectedEnd()
    {
        using var res = await PostConfigMapAsync("");
        Assert.Equal(
            "the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse error: unexpected end of JSON input (<empty>)",
            await MessageAsync(res, HttpStatusCode.BadRequest, "BadRequest"));
    }

    [Fact]
    public async Task Create_WithYamlThatIsNotAMapping_SaysCouldNotGetVersionKind()
    {
        using var res = await PostConfigMapAsync("- a\n- b\n", "application/yaml");
        var message = await MessageAsync(res, HttpStatusCode.BadRequest, "BadRequest");
        Assert.StartsWith("the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse error: json: cannot unmarshal array into Go value of type struct { APIVersion string", message);
    }

    [Fact]
    public async Task Create_OfAnotherServedKind_SaysItCannotBeHandledAsTheEndpointsKind()
    {
        using var res = await Client.PostAsync("/api/v1/namespaces", Json("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"not-a-namespace"}}"""));
        Assert.Equal(
            """Pod in version "v1" cannot be handled as a Namespace: converting (v1.Pod) to (core.Namespace): unknown conversion""",
            await MessageAsync(res, HttpStatusCode.BadRequest, "BadRequest"));
        using var get = await Client.GetAsync("/api/v1/namespaces/not-a-namespace");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Fact]
    public async Task Create_WithAKindNoOneServes_SaysItIsNotRegistered()
    {
        using var res = await PostConfigMapAsync("""{"apiVersion":"v1","kind":"configmap","metadata":{"name":"lower"}}""");
        Assert.Equal(
            "configmap in version \"v1\" cannot be handled as a ConfigMap: no kind \"configmap\" is registered for version \"v1\" in scheme \"pkg/api/legacyscheme/scheme.go:30\"",
            await MessageAsync(res, HttpStatusCode.BadRequest, "BadRequest"));
    }

    [Fact]
    public async Task Create_WithValueOfWrongType_SaysItCannotBeHandled()
    {
        using var res = await PostConfigMapAsync("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"typed"},"data":"str"}""");
        Assert.Equal(
            """ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal string into Go struct field ConfigMap.data of type map[string]string""",
            await MessageAsync(res, HttpStatusCode.BadRequest, "BadRequest"));
    }

    [Fact]
    public async Task Create_WithUnknownFieldUnderStrictValidation_SaysItCannotBeHandled()
    {
        await server.EnsureNamespaceAsync(Ns);
        using var res = await Client.PostAsync(ConfigMaps + "?fieldValidation=Strict",
            Json("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"strict"},"bogus":1}"""));
        Assert.Equal(
            "ConfigMap in version \"v1\" cannot be handled as a ConfigMap: strict decoding error: unknown field \"bogus\"",
            await MessageAsync(res, HttpStatusCode.BadRequest, "BadRequest"));
    }

    [Fact]
    public async Task StrategicMergePatch_WithValueOfWrongType_Returns422CannotRestoreMap()
    {
        await CreateConfigMapAsync("smp-typed");
        using var res = await Client.PatchAsync($"{ConfigMaps}/smp-typed", Json("""{"data":"str"}""", "application/strategic-merge-patch+json"));
        var status = await StatusAssert.IsFailureAsync(res, HttpStatusCode.UnprocessableEntity, "Invalid");
        Assert.Equal(""" "" is invalid: patch: Invalid value: "map[data:str]": cannot restore map from string""", (string?)status["message"]);
        var cause = status["details"]!["causes"]![0]!;
        Assert.Equal("patch", (string?)cause["field"]);
        Assert.Equal("FieldValueInvalid", (string?)cause["reason"]);
        using var get = await Client.GetAsync($"{ConfigMaps}/smp-typed");
        Assert.Equal("v", (string?)(await ReadObjectAsync(get))["data"]!["k"]);
    }

    [Fact]
    public async Task MergePatch_WithValueOfWrongType_Returns422NamingThePatchedObject()
    {
        await CreateConfigMapAsync("merge-typed");
        using var res = await Client.PatchAsync($"{ConfigMaps}/merge-typed", Json("""{"data":"str"}""", "application/merge-patch+json"));
        var message = await MessageAsync(res, HttpStatusCode.UnprocessableEntity, "Invalid");
        Assert.StartsWith(""" "" is invalid: patch: Invalid value: "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",""", message);
        Assert.EndsWith("""\"data\":\"str\"}": json: cannot unmarshal string into Go struct field ConfigMap.data of type map[string]string""", message);
    }

    // ---- item 7: node-agent subresources ----

    [Theory]
    [InlineData("exec?command=ls&container=c", "GET", "exec into containers is not available")]
    [InlineData("exec?command=ls&container=c", "POST", "exec into containers is not available")]
    [InlineData("attach?container=c", "POST", "attach to containers is not available")]
    [InlineData("portforward?ports=80", "GET", "port forwarding is not available")]
    public async Task NodeAgentSubresources_OfAnExistingPod_AnswerAClearStatus(string sub, string method, string expected)
    {
        await server.EnsureNamespaceAsync(Ns);
        using var created = await Client.PostAsync($"/api/v1/namespaces/{Ns}/pods", Json(Pod("stream-pod", Ns)));
        Assert.True(created.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict);
        using var req = new HttpRequestMessage(new HttpMethod(method), $"/api/v1/namespaces/{Ns}/pods/stream-pod/{sub}");
        using var res = await Client.SendAsync(req);
        var message = await MessageAsync(res, HttpStatusCode.BadRequest, "BadRequest");
        Assert.StartsWith(expected + ": this server runs no node agent (pod \"stream-pod\"", message);
    }

    [Fact]
    public async Task Exec_OfAMissingPod_Is404_AndOfAnUnknownContainerIs400()
    {
        await server.EnsureNamespaceAsync(Ns);
        using var missing = await Client.PostAsync($"/api/v1/namespaces/{Ns}/pods/no-such-pod/exec?command=ls", null);
        await StatusAssert.IsFailureAsync(missing, HttpStatusCode.NotFound, "NotFound");
        using var created = await Client.PostAsync($"/api/v1/namespaces/{Ns}/pods", Json(Pod("stream-pod-2", Ns)));
        using var wrong = await Client.PostAsync($"/api/v1/namespaces/{Ns}/pods/stream-pod-2/exec?command=ls&container=nope", null);
        Assert.Equal("container nope is not valid for pod stream-pod-2", await MessageAsync(wrong, HttpStatusCode.BadRequest, "BadRequest"));
    }

    [Fact]
    public async Task Discovery_ListsExecAttachAndPortForwardAsKubeApiserverDoes()
    {
        using var res = await Client.GetAsync("/api/v1");
        var resources = (await ReadObjectAsync(res))["resources"]!.AsArray();
        foreach (var (name, kind) in new[] { ("pods/exec", "PodExecOptions"), ("pods/attach", "PodAttachOptions"), ("pods/portforward", "PodPortForwardOptions") })
        {
            var entry = resources.Single(r => (string?)r!["name"] == name)!;
            Assert.Equal(kind, (string?)entry["kind"]);
            Assert.Equal(["create", "get"], entry["verbs"]!.AsArray().Select(v => (string)v!).Order());
        }
    }

    // ---- item 9: namespaces that may not be deleted ----

    [Theory]
    [InlineData("default")]
    [InlineData("kube-system")]
    [InlineData("kube-public")]
    public async Task Delete_OfASystemNamespace_Is403_AndLeavesItActive(string name)
    {
        await server.EnsureNamespaceAsync(name);
        using var res = await Client.DeleteAsync($"/api/v1/namespaces/{name}");
        var status = await StatusAssert.IsFailureAsync(res, HttpStatusCode.Forbidden, "Forbidden");
        Assert.Equal($"namespaces \"{name}\" is forbidden: this namespace may not be deleted", (string?)status["message"]);
        using var get = await Client.GetAsync($"/api/v1/namespaces/{name}");
        var ns = await ReadObjectAsync(get);
        Assert.Equal("Active", (string?)ns["status"]!["phase"]);
        Assert.Null(ns["metadata"]!["deletionTimestamp"]);
    }

    // ---- item 10: routing's own 404/405 ----

    [Fact]
    public async Task UnknownNonApiPath_AnswersA404Status()
    {
        using var res = await Client.GetAsync("/no/such/path");
        Assert.Equal("the server could not find the requested resource", await MessageAsync(res, HttpStatusCode.NotFound, "NotFound"));
        using var health = await Client.GetAsync("/readyz/bogus");
        await StatusAssert.IsFailureAsync(health, HttpStatusCode.NotFound, "NotFound");
    }

    [Fact]
    public async Task WrongMethodOnANonResourcePath_AnswersA405Status()
    {
        using var res = await Client.PutAsync("/version", Json("{}"));
        Assert.Equal("the server does not allow this method on the requested resource",
            await MessageAsync(res, HttpStatusCode.MethodNotAllowed, "MethodNotAllowed"));
    }

    // ---- item 11: values that used to reach a 500 ----

    private static string NestedFieldsV1(int levels)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < levels; i++) sb.Append("""{"f:a":""");
        sb.Append("{}");
        for (var i = 0; i < levels; i++) sb.Append('}');
        return sb.ToString();
    }

    private static string ConfigMapWithFieldsV1(string name, int levels) =>
        $$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}","managedFields":[{"manager":"m","operation":"Update","apiVersion":"v1","fieldsType":"FieldsV1","fieldsV1":{{{NestedFieldsV1(levels)}}}}]}}""";

    [Fact]
    public async Task Create_WithFieldsV1NestedDeeperThanTheLimit_Is400AndStoresNothing()
    {
        using var res = await PostConfigMapAsync(ConfigMapWithFieldsV1("deep-fields", 70));
        var message = await MessageAsync(res, HttpStatusCode.BadRequest, "BadRequest");
        Assert.Contains($"nested deeper than the maximum depth of {JsonBody.MaxDepth}", message);
        using var get = await Client.GetAsync($"{ConfigMaps}/deep-fields");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Fact]
    public async Task Create_WithFieldsV1AtTheDepthLimit_IsStoredAndServedByGetListAndWatch()
    {
        // Root, metadata, managedFields, the entry, fieldsV1: five levels before the nesting starts.
        var levels = JsonBody.MaxDepth - 5;
        using var res = await PostConfigMapAsync(ConfigMapWithFieldsV1("deepest-fields", levels));
        Assert.Equal(HttpStatusCode.Created, res.StatusCode);
        using var get = await Client.GetAsync($"{ConfigMaps}/deepest-fields");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        using var list = await Client.GetAsync(ConfigMaps);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        using var table = new HttpRequestMessage(HttpMethod.Get, $"{ConfigMaps}/deepest-fields?includeObject=Object");
        table.Headers.TryAddWithoutValidation("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io");
        using var tableRes = await Client.SendAsync(table);
        Assert.Equal(HttpStatusCode.OK, tableRes.StatusCode);

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var watch = await server.NewClient(Timeout.InfiniteTimeSpan).GetAsync(
            $"{ConfigMaps}?watch=1&fieldSelector=metadata.name%3Ddeepest-fields&resourceVersion=0", HttpCompletionOption.ResponseHeadersRead, cts.Token);
        using var reader = new StreamReader(await watch.Content.ReadAsStreamAsync(cts.Token));
        var line = await reader.ReadLineAsync(cts.Token);
        Assert.Equal("ADDED", (string?)JsonNode.Parse(line!, documentOptions: new System.Text.Json.JsonDocumentOptions { MaxDepth = 128 })!["type"]);
    }

    [Theory]
    [InlineData("922337203685")]
    [InlineData("99999999999999")]
    [InlineData("9223372036854775807")]
    public async Task Watch_WithHugeTimeoutSeconds_StreamsInsteadOfFailing(string timeoutSeconds)
    {
        await server.EnsureNamespaceAsync(Ns);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var client = server.NewClient(Timeout.InfiniteTimeSpan);
        using var res = await client.GetAsync($"{ConfigMaps}?watch=1&timeoutSeconds={timeoutSeconds}", HttpCompletionOption.ResponseHeadersRead, cts.Token);
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        await CreateConfigMapAsync("huge-timeout-" + timeoutSeconds.Length + "-" + Guid.NewGuid().ToString("N")[..6]);
        using var reader = new StreamReader(await res.Content.ReadAsStreamAsync(cts.Token));
        var line = await reader.ReadLineAsync(cts.Token);
        Assert.Equal("ADDED", (string?)JsonNode.Parse(line!)!["type"]);
    }

    [Fact]
    public void WatchTimeout_IsClampedToWhatTimersTake()
    {
        var query = new RequestQuery(new Microsoft.AspNetCore.Http.QueryCollection(
            new Dictionary<string, Microsoft.Extensions.Primitives.StringValues> { ["timeoutSeconds"] = "99999999999999" }));
        var timeout = query.WatchOptions().Timeout!.Value;
        Assert.Equal(TimeSpan.FromSeconds(RequestQuery.MaxWatchTimeoutSeconds), timeout);
        using var cts = new CancellationTokenSource();
        cts.CancelAfter(timeout); // throws ArgumentOutOfRangeException past the timer limit
    }
}
