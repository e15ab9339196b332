using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using K8sHost.E2E.Tests.Infrastructure;
using Xunit;

namespace K8sHost.E2E.Tests.Watch;

/// <summary>
/// Hostile bodies against the real server process over HTTPS: each gets a Status error fast, stores nothing and leaves
/// the server serving. (Truncated and malformed JSON, and 413 on the API's own Kestrel host, are covered in
/// K8sHost.Api.Tests ErrorStatusTests; the real host differs: it lifts Kestrel's limit and relies on the API's.)
/// </summary>
[Collection("kubectl")]
public sealed class BadInputTests(ServerFixture fx) : IClassFixture<ServerFixture>
{
    private const int Levels = 10_000;

    // case → verb, content type, body (built here so test names stay short).
    private static (string Verb, string ContentType, string Body) DeepBody(string name) => name switch
    {
        "create-json-object" => ("POST", "application/json", "{\"x\":" + Nest("{\"x\":", "}") + ",\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"deep\"}}"),
        "create-json-array" => ("POST", "application/json", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"deep\"},\"data\":" + Nest("[", "]") + "}"),
        "create-yaml" => ("POST", "application/yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\nx: " + Nest("[", "]") + "\n"),
        "merge-patch" => ("PATCH", "application/merge-patch+json", "{\"data\":" + Nest("{\"a\":", "}") + "}"),
        "strategic-merge-patch" => ("PATCH", "application/strategic-merge-patch+json", "{\"data\":" + Nest("{\"a\":", "}") + "}"),
        "json-patch" => ("PATCH", "application/json-patch+json", "[{\"op\":\"add\",\"path\":\"/data/k\",\"value\":" + Nest("[", "]") + "}]"),
        "update-json" => ("PUT", "application/json", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"target\"},\"x\":" + Nest("[", "]") + "}"),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [InlineData("create-json-object")]
    [InlineData("create-json-array")]
    [InlineData("create-yaml")]
    [InlineData("merge-patch")]
    [InlineData("strategic-merge-patch")]
    [InlineData("json-patch")]
    [InlineData("update-json")]
    public async Task Body_Nested10000Levels_Returns400StatusQuicklyAndChangesNothing(string bodyCase)
    {
        var (verb, contentType, body) = DeepBody(bodyCase);
        using var http = fx.Server.CreateClient();
        var api = await ConfigMapApi.InNewNamespaceAsync(http, "deep");
        await api.CreateAsync(ConfigMapApi.ConfigMap("target"));
        var before = await api.StateAsync();

        var url = verb == "POST" ? api.Collection : $"{api.Collection}/target";
        using var req = new HttpRequestMessage(new HttpMethod(verb), url) { Content = StatusResponse.Body(body, contentType) };
        req.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        var sw = Stopwatch.StartNew();
        using var res = await http.SendAsync(req);
        await StatusResponse.AssertAsync(res, HttpStatusCode.BadRequest, "BadRequest");
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), $"took {sw.Elapsed}");

        Assert.Equal(before, await api.StateAsync());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/readyz")).StatusCode);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Create_WithBodyOver3MiB_Returns413StatusAndChangesNothing(bool chunked)
    {
        using var http = fx.Server.CreateClient();
        var api = await ConfigMapApi.InNewNamespaceAsync(http, "big");
        await api.CreateAsync(ConfigMapApi.ConfigMap("small"));
        var before = await api.StateAsync();

        var bytes = Encoding.UTF8.GetBytes(
            $"{{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{{\"name\":\"big\"}},\"data\":{{\"k\":\"{new string('x', 3 * 1024 * 1024 + 16)}\"}}}}");
        HttpContent content = chunked ? new StreamContent(new MemoryStream(bytes)) : new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (chunked) content.Headers.ContentLength = null;
        using var req = new HttpRequestMessage(HttpMethod.Post, api.Collection) { Content = content };
        if (chunked) req.Headers.TransferEncodingChunked = true;
        using var res = await http.SendAsync(req);
        await StatusResponse.AssertAsync(res, HttpStatusCode.RequestEntityTooLarge, "RequestEntityTooLarge");

        Assert.Equal(before, await api.StateAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"{api.Collection}/big")).StatusCode);
    }

    private static string Nest(string open, string close) =>
        string.Concat(Enumerable.Repeat(open, Levels)) + "1" + string.Concat(Enumerable.Repeat(close, Levels));
}
