using System.Diagnostics;
using System.Net;
using K8sHost.E2E.Tests.Infrastructure;
using K8sHost.E2E.Tests.Watch;
using Xunit;
using static K8sHost.E2E.Tests.Compat.CompatKit;

namespace K8sHost.E2E.Tests.Compat;

/// <summary>
/// What real kubectl prints for requests this server refuses as kube-apiserver does, and the system objects the server
/// keeps in place, against the real server process over HTTPS.
/// </summary>
[Collection("kubectl")]
public sealed class KubeErrorCompatTests(ServerFixture fx) : IClassFixture<ServerFixture>
{
    private readonly Infrastructure.Kubectl k = fx.Kubectl;

    [Fact]
    public async Task KubectlExecAndAttach_WithoutNodeAgent_PrintTheServersStatusAndFail()
    {
        var ns = await NewNamespaceAsync(k, "exec");
        await k.OkAsync("apply -f -", Pod("web", ns));

        // kubectl tries a WebSocket upgrade (GET), then falls back to SPDY (POST); both must end in the Status text.
        var exec = await k.RunAsync($"exec web -n {ns} -- ls /");
        Assert.NotEqual(0, exec.ExitCode);
        Assert.Contains("""Error from server (BadRequest): exec into containers is not available: this server runs no node agent (pod "web", container "nginx")""",
            exec.StdErr);

        var attach = await k.RunAsync($"attach web -n {ns}");
        Assert.NotEqual(0, attach.ExitCode);
        Assert.Contains("attach to containers is not available: this server runs no node agent", attach.StdErr);
    }

    [Fact]
    public async Task KubectlCreateRaw_OfAPodAtTheNamespacesPath_SaysItCannotBeHandledAsANamespace()
    {
        // The upstream test-cmd check: posting a Pod to /api/v1/namespaces names the conversion that is missing.
        var name = UniqueName("raw");
        var pod = $$$"""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{{name}}}"},"spec":{"containers":[{"name":"c","image":"nginx"}]}}""";
        var r = await k.RunAsync("create --raw /api/v1/namespaces -f -", pod);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("cannot be handled as a Namespace: converting (v1.Pod)", r.StdErr);
        Assert.NotEqual(0, (await k.RunAsync($"get namespace {name}")).ExitCode);
    }

    [Theory]
    [InlineData("default")]
    [InlineData("kube-system")]
    [InlineData("kube-public")]
    public async Task KubectlDelete_OfASystemNamespace_IsForbidden(string name)
    {
        var r = await k.RunAsync($"delete namespace {name} --wait=false");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains($"""Error from server (Forbidden): namespaces "{name}" is forbidden: this namespace may not be deleted""", r.StdErr);
        Assert.Equal("Active", (await k.OkAsync($"get namespace {name} -o jsonpath={{.status.phase}}")).Trim());
    }

    [Fact]
    public async Task KubernetesService_WhenDeleted_IsRecreatedWithinTheReconcileInterval()
    {
        var ip = (await k.OkAsync("get service kubernetes -n default -o jsonpath={.spec.clusterIP}")).Trim();
        Assert.Contains("deleted", await k.OkAsync("delete service kubernetes -n default"));
        var sw = Stopwatch.StartNew();
        ProcessResult got;
        do
        {
            await Task.Delay(500);
            got = await k.RunAsync("get service kubernetes -n default -o jsonpath={.spec.clusterIP}");
        }
        while (got.ExitCode != 0 && sw.Elapsed < TimeSpan.FromSeconds(30));
        Assert.True(got.ExitCode == 0, $"not recreated after {sw.Elapsed}: {got}");
        Assert.Equal(ip, got.StdOut.Trim());
    }

    [Fact]
    public async Task NonApiPaths_AnswerAStatus_ForAnUnknownPathAndAWrongMethod()
    {
        using var http = fx.Server.CreateClient();
        using var missing = await http.GetAsync("/readyz/bogus");
        var notFound = await StatusResponse.AssertAsync(missing, HttpStatusCode.NotFound, "NotFound");
        Assert.Equal("the server could not find the requested resource", (string?)notFound["message"]);

        using var put = await http.PutAsync("/openapi/v3/api/v1", StatusResponse.Body("{}", "application/json"));
        var notAllowed = await StatusResponse.AssertAsync(put, HttpStatusCode.MethodNotAllowed, "MethodNotAllowed");
        Assert.Equal("the server does not allow this method on the requested resource", (string?)notAllowed["message"]);
    }
}
