using System.Net;
using System.Text.Json.Nodes;
using K8sHost.E2E.Tests.Infrastructure;
using Xunit;

namespace K8sHost.E2E.Tests.Lifecycle;

[Collection("kubectl")]
public sealed class ServerLifecycleTests
{
    [Fact]
    public async Task Request_WithoutToken_Gets401Status_ButHealthAndVersionAreOpen()
    {
        await using var server = new ServerProcess();
        await server.StartAsync();
        using var anon = server.CreateClient(authenticated: false);
        var r = await anon.GetAsync("/api/v1/namespaces");
        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        var status = JsonNode.Parse(await r.Content.ReadAsStringAsync())!;
        Assert.Equal("Status", status["kind"]!.GetValue<string>());
        Assert.Equal("Unauthorized", status["reason"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await anon.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anon.GetAsync("/readyz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anon.GetAsync("/version")).StatusCode);
        anon.DefaultRequestHeaders.Authorization = new("Bearer", "wrong-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anon.GetAsync("/api/v1/pods")).StatusCode);
    }

    [Fact]
    public async Task TokenAuthFile_UsersAuthenticate_AndRbacDecidesWhatTheyMayDo()
    {
        var dir = Directory.CreateTempSubdirectory("tokens-").FullName;
        var file = Path.Combine(dir, "tokens.csv");
        await File.WriteAllTextAsync(file, "s3cret-token-1,alice,1001,\"dev,ops\"\n");
        await using var server = new ServerProcess(null, "--token-auth-file", file);
        await server.StartAsync();
        using var http = server.CreateClient(authenticated: false);
        http.DefaultRequestHeaders.Authorization = new("Bearer", "s3cret-token-1");
        // Authenticated (not 401), but without a binding RBAC refuses the list (403).
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync("/api/v1/namespaces")).StatusCode);
        // system:basic-user lets every authenticated user ask who it is.
        using var review = await http.PostAsync("/apis/authentication.k8s.io/v1/selfsubjectreviews",
            new StringContent("""{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.True(review.IsSuccessStatusCode, $"SelfSubjectReview answered {(int)review.StatusCode}");
        var body = await review.Content.ReadAsStringAsync();
        Assert.Contains("\"username\":\"alice\"", body);
        Assert.Contains("\"ops\"", body);
    }

    [Fact]
    public async Task Sigterm_EndsWatchesCleanly_AndExitsZero()
    {
        var server = new ServerProcess();
        await server.StartAsync();
        using var http = server.CreateClient();
        http.Timeout = TimeSpan.FromSeconds(30);
        var response = await http.GetAsync("/api/v1/namespaces/default/configmaps?watch=true", HttpCompletionOption.ResponseHeadersRead);
        var stream = await response.Content.ReadAsStreamAsync();
        var exit = await server.TerminateAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(0, exit);
        // The watch stream ended (EOF) rather than hanging.
        using var reader = new StreamReader(stream);
        var rest = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.NotNull(rest);
        await server.DisposeAsync();
    }

    [Fact]
    public async Task BadStorageUrl_IsAOneLineError()
    {
        var dir = Directory.CreateTempSubdirectory("badstore-").FullName;
        var r = await ProcessRunner.RunAsync("dotnet",
            [RepoPaths.ServerDll, "--data-dir", dir, "--secure-port", FreePort.Next().ToString(), "--storage", "nosuch://x"],
            timeout: TimeSpan.FromSeconds(30));
        Assert.NotEqual(0, r.ExitCode);
        var lines = r.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains("unknown scheme", lines[0]);
    }

    [Fact]
    public async Task Restart_ReusesCertificatesAndToken_SoOldKubeconfigsStayValid()
    {
        var server = new ServerProcess();
        await server.StartAsync();
        var ca = await File.ReadAllTextAsync(Path.Combine(server.DataDir, "pki", "ca.crt"));
        var token = server.AdminToken;
        await server.TerminateAsync(TimeSpan.FromSeconds(20));
        await using var again = new ServerProcess(server.DataDir);
        await again.StartAsync();
        Assert.Equal(ca, await File.ReadAllTextAsync(Path.Combine(again.DataDir, "pki", "ca.crt")));
        Assert.Equal(token, again.AdminToken);
        using var http = again.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/namespaces/default")).StatusCode);
    }
}
