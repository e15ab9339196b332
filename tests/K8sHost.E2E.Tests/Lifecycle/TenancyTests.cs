using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using K8sHost.E2E.Tests.Infrastructure;
using Xunit;

namespace K8sHost.E2E.Tests.Lifecycle;

/// <summary>Tokens bound to an organization/project see only that tenant's objects, as separate clusters would.</summary>
[Collection("kubectl")]
public sealed class TenancyTests
{
    private static StringContent ConfigMap(string name, string value) =>
        new($"{{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{{\"name\":\"{name}\"}},\"data\":{{\"v\":\"{value}\"}}}}",
            Encoding.UTF8, "application/json");

    [Fact]
    public async Task TenantsAreIsolated_SameNamesCoexist_AndEachTenantGetsItsOwnSystemNamespaces()
    {
        var dir = Directory.CreateTempSubdirectory("tenants-").FullName;
        var file = Path.Combine(dir, "tokens.csv");
        await File.WriteAllTextAsync(file,
            // Each token administers its own tenant (system:masters there); RBAC applies inside a tenant as in a cluster.
            "alice-token-123,alice,1001,\"dev,system:masters\",acme,web\n" +
            "bob-token-456,bob,1002,\"dev,system:masters\",globex,billing\n");
        await using var server = new ServerProcess(null, "--token-auth-file", file);
        await server.StartAsync();

        HttpClient As(string token)
        {
            var c = server.CreateClient(authenticated: false);
            c.DefaultRequestHeaders.Authorization = new("Bearer", token);
            return c;
        }
        using var alice = As("alice-token-123");
        using var bob = As("bob-token-456");
        using var admin = server.CreateClient();

        // Each tenant starts with its own system namespaces and `kubernetes` service.
        foreach (var c in new[] { alice, bob })
        {
            var ns = JsonNode.Parse(await c.GetStringAsync("/api/v1/namespaces"))!["items"]!.AsArray()
                .Select(i => i!["metadata"]!["name"]!.GetValue<string>()).ToList();
            Assert.Contains("default", ns);
            Assert.Contains("kube-system", ns);
            Assert.Equal(HttpStatusCode.OK, (await c.GetAsync("/api/v1/namespaces/default/services/kubernetes")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Created, (await alice.PostAsync("/api/v1/namespaces/default/configmaps", ConfigMap("plan", "alice"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync("/api/v1/namespaces/default/configmaps/plan")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/v1/namespaces/default/configmaps/plan")).StatusCode);

        // The same name in another tenant is a different object.
        Assert.Equal(HttpStatusCode.Created, (await bob.PostAsync("/api/v1/namespaces/default/configmaps", ConfigMap("plan", "bob"))).StatusCode);
        var seenByAlice = JsonNode.Parse(await alice.GetStringAsync("/api/v1/namespaces/default/configmaps/plan"))!;
        Assert.Equal("alice", seenByAlice["data"]!["v"]!.GetValue<string>());
        var all = JsonNode.Parse(await bob.GetStringAsync("/api/v1/configmaps"))!["items"]!.AsArray();
        Assert.DoesNotContain(all, i => i!["data"]?["v"]?.GetValue<string>() == "alice");
    }

    [Fact]
    public async Task TokenFile_WithABadTenantName_IsAOneLineStartError()
    {
        var dir = Directory.CreateTempSubdirectory("badtenant-").FullName;
        var file = Path.Combine(dir, "tokens.csv");
        await File.WriteAllTextAsync(file, "t-123,carol,1003,\"\",Acme/Corp,web\n");
        var r = await ProcessRunner.RunAsync("dotnet",
            [RepoPaths.ServerDll, "--data-dir", dir, "--secure-port", FreePort.Next().ToString(), "--token-auth-file", file],
            timeout: TimeSpan.FromSeconds(30));
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("organization and project must both be DNS-1123 labels", r.StdErr);
    }
}
