using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;

namespace K8sHost.Api.Tests.Host;

/// <summary>
/// The server's own composition root (Program → ServerHost) under WebApplicationFactory: authentication, the bootstrap
/// objects and Status errors as a user of the real binary sees them, without a network listener.
/// </summary>
public sealed class ServerFactoryTests : IClassFixture<ServerFactoryTests.Factory>
{
    public sealed class Factory : WebApplicationFactory<Program>
    {
        public string DataDir { get; } = Directory.CreateTempSubdirectory("k8shost-factory-").FullName;

        public Factory()
        {
            // Program reads its settings before the host is built, so they come from the environment, not UseSetting.
            Environment.SetEnvironmentVariable("Server__DataDir", DataDir);
        }

        public HttpClient Admin()
        {
            var c = CreateClient();
            c.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", File.ReadAllText(Path.Combine(DataDir, "admin.token")).Trim());
            return c;
        }

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            Environment.SetEnvironmentVariable("Server__DataDir", null);
        }
    }

    private readonly Factory _factory;

    public ServerFactoryTests(Factory factory) => _factory = factory;

    private static async Task<JsonNode> StatusOf(HttpResponseMessage r)
    {
        var body = JsonNode.Parse(await r.Content.ReadAsStringAsync())!;
        Assert.Equal("Status", body["kind"]!.GetValue<string>());
        Assert.Equal((int)r.StatusCode, body["code"]!.GetValue<int>());
        return body;
    }

    [Fact]
    public async Task WithoutToken_Returns401Status()
    {
        using var anon = _factory.CreateClient();
        var r = await anon.GetAsync("/api/v1/pods");
        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        Assert.Equal("Unauthorized", (await StatusOf(r))["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task FirstStart_CreatesSystemNamespacesAndTheKubernetesService()
    {
        using var c = _factory.Admin();
        var svc = JsonNode.Parse(await c.GetStringAsync("/api/v1/namespaces/default/services/kubernetes"))!;
        Assert.Equal("10.96.0.1", svc["spec"]!["clusterIP"]!.GetValue<string>());
        foreach (var ns in new[] { "default", "kube-system", "kube-public", "kube-node-lease" })
            Assert.Equal(HttpStatusCode.OK, (await c.GetAsync($"/api/v1/namespaces/{ns}")).StatusCode);
    }

    [Fact]
    public async Task InvalidName_Returns422WithCauses_AndMissingNamespace_Returns404()
    {
        using var c = _factory.Admin();
        var bad = await c.PostAsync("/api/v1/namespaces/default/configmaps",
            new StringContent("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"Bad_Name"}}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        var status = await StatusOf(bad);
        Assert.Equal("Invalid", status["reason"]!.GetValue<string>());
        Assert.Equal("metadata.name", status["details"]!["causes"]![0]!["field"]!.GetValue<string>());

        var missing = await c.PostAsync("/api/v1/namespaces/nosuch/configmaps",
            new StringContent("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"ok"}}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("namespaces \"nosuch\" not found", (await StatusOf(missing))["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task MalformedJson_Returns400_AndStoresNothing()
    {
        using var c = _factory.Admin();
        var r = await c.PostAsync("/api/v1/namespaces/default/configmaps",
            new StringContent("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"trunc""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Equal("BadRequest", (await StatusOf(r))["reason"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await c.GetAsync("/api/v1/namespaces/default/configmaps/trunc")).StatusCode);
    }
}
