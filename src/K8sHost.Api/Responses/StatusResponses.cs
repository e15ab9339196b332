using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;
using K8sHost.ApiMachinery.Json;
using Microsoft.AspNetCore.Http;

namespace K8sHost.Api.Responses;

/// <summary>metav1.Status bodies: errors and the "Success" replies of eviction/binding.</summary>
public static class StatusResponses
{
    public static async Task WriteErrorAsync(HttpContext http, ApiError error)
    {
        var res = http.Response;
        res.StatusCode = error.Code;
        if (error.RetryAfterSeconds is int retry) res.Headers.RetryAfter = retry.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await WriteJsonAsync(http, error.ToStatus());
    }

    public static JsonObject Success(int code, string? kind = null, string? name = null, string? group = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
        };
        if (kind is not null || name is not null)
        {
            var details = new JsonObject();
            if (name is not null) details["name"] = name;
            if (!string.IsNullOrEmpty(group)) details["group"] = group;
            if (kind is not null) details["kind"] = kind;
            status["details"] = details;
        }
        status["code"] = code;
        return status;
    }

    public static async Task WriteJsonAsync(HttpContext http, JsonNode body)
    {
        http.Response.ContentType = "application/json";
        var bytes = WireJson.Serialize(body);
        http.Response.ContentLength = bytes.Length;
        await http.Response.Body.WriteAsync(bytes, http.RequestAborted);
    }
}
