using System.Net;
using System.Text.Json.Nodes;

namespace K8sHost.Api.Tests.Http;

/// <summary>Checks that a reply is a metav1.Status failure with the given code and reason.</summary>
public static class StatusAssert
{
    public static async Task<JsonObject> IsFailureAsync(HttpResponseMessage res, HttpStatusCode code, string reason)
    {
        var text = await res.Content.ReadAsStringAsync();
        Assert.True(code == res.StatusCode, $"expected {(int)code}, got {(int)res.StatusCode}: {text}");
        Assert.Equal("application/json", res.Content.Headers.ContentType?.MediaType);
        var status = JsonNode.Parse(text)!.AsObject();
        Assert.Equal("Status", (string?)status["kind"]);
        Assert.Equal("v1", (string?)status["apiVersion"]);
        Assert.Equal("Failure", (string?)status["status"]);
        Assert.Equal(reason, (string?)status["reason"]);
        Assert.Equal((int)code, (int?)status["code"]);
        Assert.False(string.IsNullOrEmpty((string?)status["message"]));
        return status;
    }
}
