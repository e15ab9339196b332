using System.Net;
using System.Net.Http.Headers;
using k8s;
using k8s.Autorest;
using k8s.Models;
using K8sHost.Server.Hosting;
using K8sHost.Server.Options;
using Microsoft.Extensions.DependencyInjection;

namespace K8sHost.Testing.Tests;

public sealed class IdentityTests
{
    [Fact]
    public async Task ClientFor_a_declared_user_authenticates_as_that_user_with_its_groups()
    {
        await using var api = await TestApiServer.StartAsync(o => o.AddUser("alice", "developers", "oncall"));

        var alice = api.ClientFor("alice");
        var review = await alice.AuthenticationV1.CreateSelfSubjectReviewAsync(new V1SelfSubjectReview());
        var admin = await api.Client.AuthenticationV1.CreateSelfSubjectReviewAsync(new V1SelfSubjectReview());

        Assert.Equal("alice", review.Status.UserInfo.Username);
        Assert.Contains("developers", review.Status.UserInfo.Groups);
        Assert.Contains("oncall", review.Status.UserInfo.Groups);
        Assert.Contains("system:authenticated", review.Status.UserInfo.Groups);
        Assert.Equal("admin", admin.Status.UserInfo.Username);
        Assert.Contains("system:masters", admin.Status.UserInfo.Groups);
    }

    [Fact]
    public async Task ClientFor_an_undeclared_user_says_how_to_declare_it()
    {
        await using var api = await TestApiServer.StartAsync();

        var error = Assert.Throws<ArgumentException>(() => api.ClientFor("mallory"));

        Assert.Contains("AddUser(\"mallory\"", error.Message);
    }

    [Fact]
    public async Task A_tenant_servers_clients_work_in_that_tenant_and_the_default_tenant_does_not_see_their_objects()
    {
        await using var api = await TestApiServer.StartAsync(o => o.Tenant = new TestTenant("acme", "shop"));
        await api.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "tenant-only" } }, "default");

        // The server's own admin token belongs to the default tenant.
        var defaultTenantToken = api.Services.GetRequiredService<ServingCredentials>().AdminToken;
        using var http = api.CreateHttpClient();
        using var req = new HttpRequestMessage(HttpMethod.Get, "/api/v1/namespaces/default/configmaps/tenant-only");
        req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", defaultTenantToken);
        using var res = await http.SendAsync(req);
        var inTenant = await api.Client.CoreV1.ReadNamespacedConfigMapAsync("tenant-only", "default");

        Assert.Equal(HttpStatusCode.NotFound, res.StatusCode);
        Assert.Equal("tenant-only", inTenant.Metadata.Name);
    }

    [Fact]
    public async Task RBAC_mode_denies_a_user_without_a_binding()
    {
        await using var api = await TestApiServer.StartAsync(o =>
        {
            o.AuthorizationMode = TestAuthorizationMode.RBAC;
            o.AddUser("bob", "viewers");
        });

        var denied = await Assert.ThrowsAsync<HttpOperationException>(() => api.ClientFor("bob").CoreV1.ListNamespacedSecretAsync("default"));

        Assert.Equal(HttpStatusCode.Forbidden, denied.Response.StatusCode);
    }
}
