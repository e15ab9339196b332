using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using K8sHost.E2E.Tests.Infrastructure;
using Xunit;

namespace K8sHost.E2E.Tests.Compat;

/// <summary>
/// kubectl's typed commands send protobuf request bodies (create namespace/configmap/secret/service/serviceaccount,
/// auth can-i, auth whoami); the real kubectl v1.35 against the real server process proves the transcoder and the
/// self-subject reviews end to end.
/// </summary>
[Collection("kubectl")]
public sealed class ProtobufAndAuthTests(ServerFixture fx) : IClassFixture<ServerFixture>
{
    private readonly Infrastructure.Kubectl k = fx.Kubectl;

    private async Task<string> NewNamespaceAsync(string prefix)
    {
        var ns = $"{prefix}-{Guid.NewGuid().ToString("N")[..6]}";
        var output = await k.OkAsync($"create namespace {ns}");
        Assert.Contains($"namespace/{ns} created", output);
        return ns;
    }

    private async Task<JsonNode> GetJsonAsync(string args) => JsonNode.Parse(await k.OkAsync($"get {args} -o json"))!;

    [Fact]
    public async Task CreateNamespace_SendsProtobuf_AndTheNamespaceIsActive()
    {
        var ns = await NewNamespaceAsync("pbns");
        var json = await GetJsonAsync($"namespace {ns}");
        Assert.Equal(ns, (string?)json["metadata"]!["name"]);
        Assert.Equal("Active", (string?)json["status"]!["phase"]);
        // Go's marshaller writes every empty ObjectMeta string; none of them may leak into the stored object.
        Assert.Null(json["metadata"]!["generateName"]);
    }

    [Fact]
    public async Task CreateConfigMap_FromLiterals_StoresEveryKey()
    {
        var ns = await NewNamespaceAsync("pbcm");
        Assert.Contains("configmap/settings created", await k.OkAsync($"create configmap settings -n {ns} --from-literal=color=blue --from-literal=size=XL"));
        var data = (await GetJsonAsync($"configmap settings -n {ns}"))["data"]!;
        Assert.Equal("blue", (string?)data["color"]);
        Assert.Equal("XL", (string?)data["size"]);
    }

    [Fact]
    public async Task CreateSecretGeneric_FromLiteral_ReadsBackByteExact()
    {
        var ns = await NewNamespaceAsync("pbsec");
        const string password = "p@ss w0rd:ünï/çødé=";
        var r = await k.RunAsync(["create", "secret", "generic", "creds", "-n", ns, "--from-literal=password=" + password]);
        Assert.True(r.ExitCode == 0, r.ToString());
        var json = await GetJsonAsync($"secret creds -n {ns}");
        Assert.Equal("Opaque", (string?)json["type"]);
        var stored = Convert.FromBase64String((string)json["data"]!["password"]!);
        Assert.Equal(Encoding.UTF8.GetBytes(password), stored);
    }

    [Fact]
    public async Task CreateServiceClusterIp_GetsPortsSelectorAndClusterIp()
    {
        var ns = await NewNamespaceAsync("pbsvc");
        Assert.Contains("service/web2 created", await k.OkAsync($"create service clusterip web2 -n {ns} --tcp=80:80"));
        var svc = await GetJsonAsync($"service web2 -n {ns}");
        var port = svc["spec"]!["ports"]![0]!;
        Assert.Equal("80-80", (string?)port["name"]);
        Assert.Equal("TCP", (string?)port["protocol"]);
        Assert.Equal(80, (int)port["port"]!);
        Assert.Equal(80, (int)port["targetPort"]!);
        Assert.Equal("web2", (string?)svc["spec"]!["selector"]!["app"]);
        Assert.Equal("ClusterIP", (string?)svc["spec"]!["type"]);
        Assert.False(string.IsNullOrEmpty((string?)svc["spec"]!["clusterIP"]));
    }

    [Fact]
    public async Task CreateServiceAccount_IsStored()
    {
        var ns = await NewNamespaceAsync("pbsa");
        Assert.Contains("serviceaccount/robot created", await k.OkAsync($"create serviceaccount robot -n {ns}"));
        Assert.Equal("robot", (string?)(await GetJsonAsync($"serviceaccount robot -n {ns}"))["metadata"]!["name"]);
    }

    [Fact]
    public async Task AuthCanI_GetPods_PrintsYes()
    {
        Assert.Equal("yes", (await k.OkAsync("auth can-i get pods")).Trim());
        Assert.Equal("yes", (await k.OkAsync("auth can-i delete secrets --all-namespaces")).Trim());
    }

    [Fact]
    public async Task AuthCanI_List_PrintsWildcardRules()
    {
        var output = await k.OkAsync("auth can-i --list");
        Assert.Matches(@"Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs", output);
        Assert.Matches(@"(?m)^\*\.\*\s+\[\]\s+\[\]\s+\[\*\]", output);
        Assert.Matches(@"(?m)^\s+\[\*\]\s+\[\]\s+\[\*\]", output);
    }

    [Fact]
    public async Task AuthWhoAmI_PrintsAdmin()
    {
        var output = await k.OkAsync("auth whoami");
        Assert.Matches(@"(?m)^Username\s+admin\s*$", output);
        Assert.Matches(@"(?m)^Groups\s+\[system:masters system:authenticated\]", output);
    }

    [Fact]
    public async Task MalformedProtobufBody_Returns400Status()
    {
        using var client = fx.Server.CreateClient();
        var content = new ByteArrayContent([0x6b, 0x38, 0x73, 0x00, 0x0a, 0x02, 0x08]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.kubernetes.protobuf");
        using var res = await client.PostAsync("/api/v1/namespaces/default/configmaps", content);
        Assert.Equal(HttpStatusCode.BadRequest, res.StatusCode);
        var status = JsonNode.Parse(await res.Content.ReadAsStringAsync())!;
        Assert.Equal("Status", (string?)status["kind"]);
        Assert.Equal("BadRequest", (string?)status["reason"]);
        Assert.Equal(400, (int)status["code"]!);
    }

    /// <summary>
    /// helm keeps releases in Secrets written with protobuf bodies (POST on install, PUT on upgrade) and deletes them with
    /// a protobuf DeleteOptions body; --server-side=false keeps this test about release storage, not SSA.
    /// </summary>
    [Fact]
    public async Task Helm_InstallUpgradeUninstall_StoresReleaseSecretsThroughProtobuf()
    {
        var ns = await NewNamespaceAsync("pbhelm");
        var chart = Directory.CreateTempSubdirectory("pbchart-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(chart, "templates"));
            await File.WriteAllTextAsync(Path.Combine(chart, "Chart.yaml"), "apiVersion: v2\nname: demo\nversion: 0.1.0\n");
            await File.WriteAllTextAsync(Path.Combine(chart, "templates", "cm.yaml"),
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cfg\ndata:\n  k: v\n");
            async Task<string> Helm(params string[] args)
            {
                var all = new List<string> { "--kubeconfig", fx.Server.KubeconfigPath, "-n", ns };
                all.AddRange(args);
                var r = await ProcessRunner.RunAsync(RepoPaths.Helm, all, timeout: TimeSpan.FromSeconds(90));
                Assert.True(r.ExitCode == 0, $"helm {string.Join(' ', args)}: {r}");
                return r.StdOut;
            }

            await Helm("install", "demo", chart, "--server-side=false");
            await Helm("upgrade", "demo", chart, "--server-side=false");
            Assert.Matches(@"(?m)^demo\s+" + ns + @"\s+2\s+.*deployed", await Helm("list"));

            var secrets = await GetJsonAsync($"secrets -n {ns} -l owner=helm");
            var byName = secrets["items"]!.AsArray().ToDictionary(i => (string)i!["metadata"]!["name"]!, i => i!);
            Assert.Equal("superseded", (string?)byName["sh.helm.release.v1.demo.v1"]["metadata"]!["labels"]!["status"]);
            Assert.Equal("deployed", (string?)byName["sh.helm.release.v1.demo.v2"]["metadata"]!["labels"]!["status"]);
            Assert.Equal("helm.sh/release.v1", (string?)byName["sh.helm.release.v1.demo.v2"]["type"]);

            await Helm("uninstall", "demo");
            Assert.Empty((await GetJsonAsync($"secrets -n {ns} -l owner=helm"))["items"]!.AsArray());
        }
        finally
        {
            Directory.Delete(chart, true);
        }
    }
}
