using System.Net;
using System.Text.Json.Nodes;

namespace K8sHost.ApiMachinery.Errors;

/// <summary>One cause of a 422 (or a Strict decoding 400): kubectl prints "* {field}: {message}".</summary>
public sealed record StatusCause(string Reason, string Message, string Field);

/// <summary>
/// A failure the client must see as a metav1.Status. Thrown anywhere below the endpoints and turned into a
/// Status body with the same HTTP code by the API layer. Factory names follow apimachinery's errors package
/// so messages match what kubectl users know.
/// </summary>
public sealed class ApiError : Exception
{
    public ApiError(int code, string reason, string message, string? kind = null, string? name = null,
        string? group = null, IReadOnlyList<StatusCause>? causes = null, int? retryAfterSeconds = null)
        : base(message)
    {
        Code = code;
        Reason = reason;
        Kind = kind;
        Name = name;
        Group = group;
        Causes = causes ?? [];
        RetryAfterSeconds = retryAfterSeconds;
    }

    public int Code { get; }
    public string Reason { get; }
    public string? Kind { get; }
    public string? Name { get; }
    public string? Group { get; }
    public IReadOnlyList<StatusCause> Causes { get; }
    public int? RetryAfterSeconds { get; }

    /// <summary>
    /// Set when a body could not be decoded at all (its syntax, or a top level that is not an object): the decoder's
    /// reason, so the endpoint that knows which kind it expected can word it as kube-apiserver does
    /// (<see cref="DecodeErrors.Unrecognized"/>).
    /// </summary>
    public string? UndecodableReason { get; init; }

    /// <summary>
    /// Set when a value has the wrong JSON type: how apimachinery's unstructured converter words it ("cannot restore map
    /// from string"), which is what a strategic merge patch reports instead of the JSON decoder's message.
    /// </summary>
    public string? ConverterReason { get; init; }

    /// <summary>"pods" or "deployments.apps": how apiserver names a resource in messages.</summary>
    public static string Qualified(string resource, string group) => group.Length == 0 ? resource : $"{resource}.{group}";

    public static ApiError NotFound(string resource, string group, string name) =>
        new(404, "NotFound", $"{Qualified(resource, group)} \"{name}\" not found", resource, name, group);

    public static ApiError AlreadyExists(string resource, string group, string name) =>
        new(409, "AlreadyExists", $"{Qualified(resource, group)} \"{name}\" already exists", resource, name, group);

    public static ApiError Conflict(string resource, string group, string name, string why) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {Qualified(resource, group)} \"{name}\": {why}", resource, name, group);

    public const string ModifiedMessage = "the object has been modified; please apply your changes to the latest version and try again";

    public static ApiError Invalid(string kind, string group, string name, IReadOnlyList<StatusCause> causes)
    {
        var list = string.Join(", ", causes.Select(c => c.Field.Length > 0 ? $"{c.Field}: {c.Message}" : c.Message));
        var subject = Qualified(kind, group);
        return new(422, "Invalid", $"{subject} \"{name}\" is invalid: {(causes.Count > 1 ? "[" + list + "]" : list)}",
            kind, name, group, causes);
    }

    public static ApiError BadRequest(string message, IReadOnlyList<StatusCause>? causes = null) =>
        new(400, "BadRequest", message, causes: causes);

    /// <summary>A body that is not a decodable document; the message is what callers without a kind to name show.</summary>
    public static ApiError Undecodable(string reason) =>
        new(400, "BadRequest", $"error decoding request body: {reason}") { UndecodableReason = reason };

    public static ApiError Unauthorized(string message = "Unauthorized") => new(401, "Unauthorized", message);

    public static ApiError Forbidden(string resource, string group, string name, string why) =>
        new(403, "Forbidden", $"{Qualified(resource, group)} \"{name}\" is forbidden: {why}", resource, name, group);

    public static ApiError MethodNotAllowed(string message = "the server does not allow this method on the requested resource") =>
        new(405, "MethodNotAllowed", message);

    public static ApiError Gone(string message) => new(410, "Expired", message);

    public static ApiError RequestEntityTooLarge(string message = "the request is too large") =>
        new(413, "RequestEntityTooLarge", message);

    public static ApiError UnsupportedMediaType(string contentType) =>
        new(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf (got {contentType})");

    public static ApiError NotAcceptable(string message) => new(406, "NotAcceptable", message);

    public static ApiError TooManyRequests(string message, int retryAfterSeconds) =>
        new(429, "TooManyRequests", message, retryAfterSeconds: retryAfterSeconds);

    public static ApiError ServiceUnavailable(string message, int retryAfterSeconds = 1) =>
        new(503, "ServiceUnavailable", message, retryAfterSeconds: retryAfterSeconds);

    public static ApiError Internal(string message) => new(500, "InternalError", $"Internal error occurred: {message}");

    /// <summary>The metav1.Status body for this error.</summary>
    public JsonObject ToStatus()
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = Message,
            ["reason"] = Reason,
        };
        var details = new JsonObject();
        // Every StatusDetails field is omitempty upstream.
        if (!string.IsNullOrEmpty(Name)) details["name"] = Name;
        // StatusDetails.group is omitempty upstream: the core group ("") is left out, not sent as "group":"".
        if (!string.IsNullOrEmpty(Group) && (Kind is not null || Name is not null)) details["group"] = Group;
        if (!string.IsNullOrEmpty(Kind)) details["kind"] = Kind;
        if (Causes.Count > 0)
        {
            var arr = new JsonArray();
            foreach (var c in Causes)
                arr.Add(new JsonObject { ["reason"] = c.Reason, ["message"] = c.Message, ["field"] = c.Field });
            details["causes"] = arr;
        }
        if (RetryAfterSeconds is int r) details["retryAfterSeconds"] = r;
        if (details.Count > 0) status["details"] = details;
        status["code"] = Code;
        return status;
    }

    public HttpStatusCode StatusCode => (HttpStatusCode)Code;
}
