using System.Text.Json;
using K8sHost.ApiMachinery.Errors;
using Microsoft.AspNetCore.Http;

namespace K8sHost.Api.Auth;

/// <summary>Writes an ApiError as a metav1.Status response (used where the endpoint pipeline has not run yet).</summary>
public static class StatusWriter
{
    public static async Task WriteAsync(HttpContext http, ApiError error)
    {
        http.Response.StatusCode = error.Code;
        http.Response.ContentType = "application/json";
        if (error.RetryAfterSeconds is int s) http.Response.Headers.RetryAfter = s.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var writer = new Utf8JsonWriter(http.Response.Body);
        error.ToStatus().WriteTo(writer);
        await writer.FlushAsync();
    }
}
