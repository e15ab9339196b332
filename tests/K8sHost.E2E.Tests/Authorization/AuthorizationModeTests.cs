using System.Net;
using K8sHost.E2E.Tests.Infrastructure;
using Xunit;

namespace K8sHost.E2E.Tests.Authorization;

/// <summary>--authorization-mode and --anonymous-auth as kube-apiserver takes them.</summary>
[Collection("kubectl")]
public sealed class AuthorizationModeTests
{
    private static async Task<string> TokenFileAsync()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("modes-").FullName, "tokens.csv");
        await File.WriteAllTextAsync(file, "dave-token-0123456789,dave,3001\n");
        return file;
    }

    [Fact]
    public async Task AnonymousAuthTrue_MakesSystemAnonymous_WhomTheBootstrapPolicyLetsReadOnlyPublicInfo()
    {
        await using var server = new ServerProcess(null, "--anonymous-auth=true");
        await server.StartAsync();
        using var anon = server.CreateClient(authenticated: false);
        foreach (var path in new[] { "/healthz", "/livez", "/readyz", "/version", "/version/" })
            Assert.Equal(HttpStatusCode.OK, (await anon.GetAsync(path)).StatusCode);
        var api = await RbacServerFixture.StatusOf(await anon.GetAsync("/api"), HttpStatusCode.Forbidden);
        Assert.Equal("forbidden: User \"system:anonymous\" cannot get path \"/api\"", (string?)api["message"]);
        var pods = await RbacServerFixture.StatusOf(await anon.GetAsync("/api/v1/namespaces/default/pods"), HttpStatusCode.Forbidden);
        Assert.Equal("pods is forbidden: User \"system:anonymous\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"",
            (string?)pods["message"]);
        // A bad token is still a 401, never anonymous.
        using var bad = server.CreateClient(authenticated: false);
        bad.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer wrong");
        await RbacServerFixture.StatusOf(await bad.GetAsync("/version"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AlwaysAllow_LetsEveryAuthenticatedUserDoEverything()
    {
        await using var server = new ServerProcess(null, "--authorization-mode", "AlwaysAllow", "--token-auth-file", await TokenFileAsync());
        await server.StartAsync();
        using var dave = server.CreateClient(authenticated: false);
        dave.DefaultRequestHeaders.Authorization = new("Bearer", "dave-token-0123456789");
        Assert.Equal(HttpStatusCode.OK, (await dave.GetAsync("/api/v1/namespaces/kube-system/secrets")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await dave.GetAsync("/api/v1/nodes")).StatusCode);
    }

    [Fact]
    public async Task NodeCommaRbac_IsAccepted_AndRbacStillDecides()
    {
        await using var server = new ServerProcess(null, "--authorization-mode", "Node,RBAC", "--token-auth-file", await TokenFileAsync());
        await server.StartAsync();
        using var dave = server.CreateClient(authenticated: false);
        dave.DefaultRequestHeaders.Authorization = new("Bearer", "dave-token-0123456789");
        await RbacServerFixture.StatusOf(await dave.GetAsync("/api/v1/namespaces/kube-system/secrets"), HttpStatusCode.Forbidden);
        using var admin = server.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/namespaces/kube-system/secrets")).StatusCode);
    }

    [Fact]
    public async Task UnknownAuthorizationMode_IsAOneLineStartError()
    {
        var dir = Directory.CreateTempSubdirectory("badmode-").FullName;
        var r = await ProcessRunner.RunAsync("dotnet",
            [RepoPaths.ServerDll, "--data-dir", dir, "--secure-port", FreePort.Next().ToString(), "--authorization-mode", "RBAC,Webhook"],
            timeout: TimeSpan.FromSeconds(30));
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("--authorization-mode: authorization mode \"Webhook\" is not supported", r.StdErr);
    }
}
