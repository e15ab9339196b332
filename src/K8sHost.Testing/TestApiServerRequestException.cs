using System.Net;

namespace K8sHost.Testing;

/// <summary>A request the server refused: carries its HTTP code and the Status message.</summary>
public sealed class TestApiServerRequestException(HttpStatusCode statusCode, string? reason, string message)
    : Exception(message)
{
    public HttpStatusCode StatusCode { get; } = statusCode;

    /// <summary>The Status reason (NotFound, Conflict, Invalid, …), when the body was a Status.</summary>
    public string? Reason { get; } = reason;
}
