using System.Text.Json.Nodes;
using K8sHost.Api.Errors;
using K8sHost.Api.Health;
using K8sHost.ApiMachinery.Errors;
using K8sHost.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace K8sHost.Api.Tests.Http;

/// <summary>
/// The exception → Status mapping for failures a test cannot provoke through a healthy server (an unreachable store,
/// a bug). Runs the boundary on a real HttpContext with the real services it resolves.
/// </summary>
public sealed class ErrorBoundaryTests
{
    private static async Task<(HttpContext Http, JsonObject Status)> RunAsync(Exception toThrow, IReadinessState? readiness = null)
    {
        var services = new ServiceCollection().AddLogging(b => b.ClearProviders());
        if (readiness is not null) services.AddSingleton(readiness);
        var http = new DefaultHttpContext { RequestServices = services.BuildServiceProvider() };
        http.Response.Body = new MemoryStream();
        await ApiErrorBoundary.Wrap(_ => throw toThrow)(http);
        http.Response.Body.Position = 0;
        return (http, JsonNode.Parse(http.Response.Body)!.AsObject());
    }

    [Fact]
    public async Task StoreUnavailable_Becomes503WithRetryAfterAndMarksNotReady()
    {
        var readiness = new ReadinessState();
        var (http, status) = await RunAsync(new StoreUnavailableException("sqlite: disk I/O error"), readiness);
        Assert.Equal(503, http.Response.StatusCode);
        Assert.Equal("1", http.Response.Headers.RetryAfter.ToString());
        Assert.Equal("ServiceUnavailable", (string?)status["reason"]);
        Assert.Equal(503, (int?)status["code"]);
        Assert.False(readiness.IsReady);
    }

    [Fact]
    public async Task ApiErrorWithRetryAfter_KeepsItsCodeAndSetsTheHeader()
    {
        var (http, status) = await RunAsync(ApiError.TooManyRequests("slow down", 7));
        Assert.Equal(429, http.Response.StatusCode);
        Assert.Equal("7", http.Response.Headers.RetryAfter.ToString());
        Assert.Equal("TooManyRequests", (string?)status["reason"]);
    }

    [Fact]
    public async Task KestrelBodyTooLarge_Becomes413Status()
    {
        var (http, status) = await RunAsync(new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge));
        Assert.Equal(413, http.Response.StatusCode);
        Assert.Equal("RequestEntityTooLarge", (string?)status["reason"]);
    }

    [Fact]
    public async Task UnexpectedException_Becomes500InternalErrorStatus()
    {
        var (http, status) = await RunAsync(new InvalidOperationException("boom"));
        Assert.Equal(500, http.Response.StatusCode);
        Assert.Equal("application/json", http.Response.ContentType);
        Assert.Equal("InternalError", (string?)status["reason"]);
        Assert.Contains("boom", (string?)status["message"]);
    }
}
