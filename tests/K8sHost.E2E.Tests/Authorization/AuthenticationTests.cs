using System.Net;
using Xunit;

namespace K8sHost.E2E.Tests.Authorization;

/// <summary>Credentials: missing or unknown → 401 Status; the two-space Bearer header is ignored with a warning; probes stay open.</summary>
[Collection("rbac")]
public sealed class AuthenticationTests(RbacServerFixture fx)
{
    [Fact]
    public async Task WithoutCredentials_ApiPathsAre401_HealthAndVersionStayOpen()
    {
        using var anon = fx.Server.CreateClient(authenticated: false);
        foreach (var path in new[] { "/api", "/apis", "/api/v1/namespaces/default/pods", "/openapi/v2", "/metrics" })
        {
            var status = await RbacServerFixture.StatusOf(await anon.GetAsync(path), HttpStatusCode.Unauthorized);
            Assert.Equal("Unauthorized", (string?)status["reason"]);
        }
        foreach (var path in new[] { "/healthz", "/livez", "/readyz", "/version" })
            Assert.Equal(HttpStatusCode.OK, (await anon.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task UnknownToken_Is401_EvenOnOpenPaths()
    {
        using var c = fx.Server.CreateClient(authenticated: false);
        c.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer not-a-token");
        await RbacServerFixture.StatusOf(await c.GetAsync("/api"), HttpStatusCode.Unauthorized);
        await RbacServerFixture.StatusOf(await c.GetAsync("/healthz"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task BearerWithTwoSpaces_IsNoCredential_401WithUpstreamWarning()
    {
        using var c = fx.Server.CreateClient(authenticated: false);
        c.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer  " + fx.Server.AdminToken);
        var r = await c.GetAsync("/api");
        await RbacServerFixture.StatusOf(r, HttpStatusCode.Unauthorized);
        Assert.Contains("299 - \"the provided Authorization header contains extra space before the bearer token, and is ignored\"",
            r.Headers.GetValues("Warning"));
    }
}
