using System.Net;
using System.Text.Json.Nodes;
using K8sHost.E2E.Tests.Infrastructure;
using OpenQA.Selenium;
using Xunit;
using Xunit.Abstractions;
using static K8sHost.E2E.Tests.Compat.CompatKit;

namespace K8sHost.E2E.Tests.Browser;

/// <summary>
/// /swagger in a real headless browser against the real server: the page asks for a bearer token instead of failing
/// on the protected documents, and once authorized lists every group-version and runs "Try it out" with the token.
/// </summary>
[Collection("kubectl")]
public sealed class SwaggerUiBrowserTests(ServerFixture fx, ITestOutputHelper output) : IClassFixture<ServerFixture>
{
    private readonly ServerProcess _server = fx.Server;
    private readonly ITestOutputHelper _output = output;

    [Fact]
    public async Task SwaggerPage_AsksForAToken_ThenListsEveryGroupVersion_AndListsPodsThroughTryItOut()
    {
        var (ns, pod) = await CreatePodAsync();
        var groupVersions = await ServedGroupVersionsAsync();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var chromium = HeadlessChromium.Start();
        var driver = chromium.Driver;
        void Step(string what) => _output.WriteLine($"{clock.ElapsedMilliseconds,6} ms  {what}");
        Step("chromium started");

        driver.Navigate().GoToUrl(_server.BaseUrl + "/swagger/");

        // Before authorizing: instructions, not an error, and no request for the protected documents.
        chromium.Visible(".info .title", "sign in");
        Assert.Contains("bearer token", chromium.Visible(".info .description").Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Failed to load API definition", chromium.PageText(), StringComparison.Ordinal);
        Assert.Empty(OpenApiRequests(driver));
        Step("sign-in page shown");

        // Authorize with the bare token (the page adds "Bearer ").
        chromium.Click("button.authorize");
        chromium.Visible(".modal-ux .auth-container input").SendKeys(_server.AdminToken);
        chromium.Click(".modal-ux button.modal-btn.authorize");

        // The full UI: every group-version the server serves, api/v1 first, loaded with the token.
        chromium.Visible(".topbar select");
        Step("authorized; group-version list shown");
        var options = driver.FindElements(By.CssSelector(".topbar select option")).Select(o => o.Text).ToList();
        Assert.Equal("api/v1", options[0]);
        Assert.Equal(groupVersions.Order(), options.Order());
        chromium.Visible(".info .title", "Kubernetes");
        Assert.Contains(OpenApiRequests(driver), url => url.Contains("/openapi/v3/api/v1?hash=", StringComparison.Ordinal));
        Step("api/v1 document rendered");

        // Try it out: list the pods of the namespace through the live server.
        chromium.Click("#operations-core_v1-listCoreV1NamespacedPod .opblock-summary-control");
        chromium.Click("#operations-core_v1-listCoreV1NamespacedPod button.try-out__btn");
        chromium.Visible("#operations-core_v1-listCoreV1NamespacedPod tr[data-param-name='namespace'] input").SendKeys(ns);
        chromium.Click("#operations-core_v1-listCoreV1NamespacedPod button.execute");
        Step("executed");
        const string response = "#operations-core_v1-listCoreV1NamespacedPod .live-responses-table tr.response";
        Assert.Equal("200", chromium.Visible(response + " .response-col_status").Text.Trim());
        chromium.Visible(response + " .response-col_description", "\"kind\": \"PodList\"");
        chromium.Visible(response + " .response-col_description", $"\"name\": \"{pod}\"");

        Step("pods listed through Try it out");
        // The token is kept for the session: a reload goes straight to the documents.
        driver.Navigate().Refresh();
        chromium.Visible(".topbar select");
        chromium.Visible(".info .title", "Kubernetes");
        Step("reloaded without signing in again");
    }

    [Fact]
    public async Task SwaggerPage_WithARejectedToken_SaysSo_AndStaysOnSignIn()
    {
        using var chromium = HeadlessChromium.Start();
        chromium.Driver.Navigate().GoToUrl(_server.BaseUrl + "/swagger/index.html");
        chromium.Visible(".info .title", "sign in");

        chromium.Click("button.authorize");
        chromium.Visible(".modal-ux .auth-container input").SendKeys("not-a-valid-token");
        chromium.Click(".modal-ux button.modal-btn.authorize");

        chromium.Visible(".info .description", "The server refused that token (401");
        Assert.Empty(chromium.Driver.FindElements(By.CssSelector(".topbar select")));
        // The documents themselves stay behind authentication, as on kube-apiserver.
        using var anonymous = _server.CreateClient(authenticated: false);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/openapi/v3")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/openapi/v3/api/v1")).StatusCode);
    }

    /// <summary>A namespace with one pod, created over HTTP (quicker than two kubectl runs; kubectl is not under test).</summary>
    private async Task<(string Namespace, string Pod)> CreatePodAsync()
    {
        var ns = UniqueName("swagger");
        var pod = UniqueName("web");
        using var client = _server.CreateClient();
        (await client.PostAsync("/api/v1/namespaces", Json(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Namespace",
            ["metadata"] = new JsonObject { ["name"] = ns },
        }))).EnsureSuccessStatusCode();
        (await client.PostAsync($"/api/v1/namespaces/{ns}/pods", Json(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = pod },
            ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "nginx", ["image"] = "nginx:1.27" }) },
        }))).EnsureSuccessStatusCode();
        return (ns, pod);
    }

    private static StringContent Json(JsonObject body) => new(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");

    private async Task<List<string>> ServedGroupVersionsAsync()
    {
        using var client = _server.CreateClient();
        var index = JsonNode.Parse(await client.GetStringAsync("/openapi/v3"))!["paths"]!.AsObject();
        return index.Select(p => p.Key).ToList();
    }

    /// <summary>The /openapi URLs the page has requested so far (Resource Timing records fetches too).</summary>
    private static List<string> OpenApiRequests(IJavaScriptExecutor driver) =>
        ((IEnumerable<object>)driver.ExecuteScript(
            "return performance.getEntriesByType('resource').map(e => e.name).filter(n => n.includes('/openapi/'));")!)
        .Select(o => (string)o).ToList();
}
