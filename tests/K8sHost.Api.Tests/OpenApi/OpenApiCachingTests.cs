using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using K8sHost.Api.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace K8sHost.Api.Tests.OpenApi;

[Collection(OpenApiServerCollection.Name)]
public sealed class OpenApiCachingTests(OpenApiServerFixture fixture)
{
    private readonly OpenApiTestHost _host = fixture.Host;

    private async Task<string> CoreUrlAsync() =>
        JsonNode.Parse(await _host.Client.GetStringAsync("/openapi/v3"))!["paths"]!["api/v1"]!["serverRelativeURL"]!.GetValue<string>();

    [Fact]
    public async Task HashedUrl_ReturnsDocumentWithEtagOfItsContentHash_AndImmutableCaching()
    {
        var url = await CoreUrlAsync();
        var hash = url[(url.IndexOf("hash=", StringComparison.Ordinal) + 5)..];

        using var response = await _host.Client.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"\"{hash}\"", response.Headers.ETag!.Tag);
        Assert.Equal("public, immutable", response.Headers.GetValues("Cache-Control").Single());
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Convert.ToHexString(System.Security.Cryptography.SHA512.HashData(bytes)), hash);
    }

    [Fact]
    public async Task IfNoneMatchWithCurrentEtag_Returns304WithoutBody()
    {
        var url = await CoreUrlAsync();
        using var first = await _host.Client.GetAsync(url);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(first.Headers.ETag!.Tag));

        using var second = await _host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task IfNoneMatchWithOtherEtag_ReturnsTheDocument()
    {
        var url = await CoreUrlAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"0123\""));

        using var response = await _host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task StaleHash_RedirectsPermanentlyToTheCurrentHash()
    {
        var url = await CoreUrlAsync();

        using var response = await _host.Client.GetAsync("/openapi/v3/api/v1?hash=DEADBEEF");

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal(url, response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task UnhashedUrl_ReturnsTheSameDocumentWithoutImmutableCaching()
    {
        var url = await CoreUrlAsync();
        var hashed = await _host.Client.GetByteArrayAsync(url);

        using var response = await _host.Client.GetAsync("/openapi/v3/api/v1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("immutable", response.Headers.GetValues("Cache-Control").Single());
        Assert.Equal(hashed, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task MissingGroupVersionDocument_Returns404Status()
    {
        using var response = await _host.Client.GetAsync("/openapi/v3/apis/apps/v1");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("Status", status["kind"]!.GetValue<string>());
        Assert.Equal("NotFound", status["reason"]!.GetValue<string>());
        Assert.Equal(404, status["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task SwaggerUi_IsServedAtSwagger_WithThePageThatAsksForATokenBeforeFetchingDocuments()
    {
        using var page = await _host.Client.GetAsync("/swagger/index.html");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("swagger-ui-bundle.js", html);
        Assert.Contains("kubernetes-swagger.js", html);
        Assert.Contains("<title>Kubernetes API</title>", html);

        using var script = await _host.Client.GetAsync("/swagger/kubernetes-swagger.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType!.MediaType);
        var js = await script.Content.ReadAsStringAsync();
        // The group-versions come from the live index, fetched with the token; none is baked into the page.
        Assert.Contains("fetch(\"/openapi/v3\"", js);
        Assert.DoesNotContain("/openapi/v3/api/v1", html + js);
        Assert.Contains("sessionStorage", js);
    }
}
