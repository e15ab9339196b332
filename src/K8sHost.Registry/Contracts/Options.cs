using System.Text.Json.Nodes;
using K8sHost.ApiMachinery;

namespace K8sHost.Registry.Contracts;

/// <summary>Options shared by create, update and patch (query parameters of the request).</summary>
public sealed record WriteOptions
{
    public bool DryRun { get; init; }
    public string? FieldManager { get; init; }
    public FieldValidation FieldValidation { get; init; } = FieldValidation.Warn;
    /// <summary>Server-side apply: take ownership of conflicting fields.</summary>
    public bool Force { get; init; }
    /// <summary>Warnings collected while decoding the body (duplicate fields under Warn); the registry adds its own.</summary>
    public List<string> Warnings { get; init; } = [];
}

public enum PatchType { Json, Merge, StrategicMerge, Apply }

public sealed record PatchRequest(PatchType Type, ReadOnlyMemory<byte> Body);

/// <summary>GET options: resourceVersion "" (latest), "0" (any, from cache), or an exact revision.</summary>
public sealed record GetOptions(string? ResourceVersion = null);

public sealed record ListOptions
{
    public string? LabelSelector { get; init; }
    public string? FieldSelector { get; init; }
    public int Limit { get; init; }
    public string? Continue { get; init; }
    public string? ResourceVersion { get; init; }
    /// <summary>"", "NotOlderThan" or "Exact".</summary>
    public string? ResourceVersionMatch { get; init; }
}

public sealed record WatchOptions
{
    public string? LabelSelector { get; init; }
    public string? FieldSelector { get; init; }
    public string? ResourceVersion { get; init; }
    public string? ResourceVersionMatch { get; init; }
    public bool AllowBookmarks { get; init; }
    public bool SendInitialEvents { get; init; }
    public TimeSpan? Timeout { get; init; }
}

/// <summary>metav1.DeleteOptions as the registry needs it.</summary>
public sealed record DeleteOptions
{
    public string? PreconditionUid { get; init; }
    public string? PreconditionResourceVersion { get; init; }
    /// <summary>Orphan, Background or Foreground.</summary>
    public string? PropagationPolicy { get; init; }
    public long? GracePeriodSeconds { get; init; }
    public bool DryRun { get; init; }

    public static DeleteOptions FromJson(JsonObject? body)
    {
        if (body is null) return new DeleteOptions();
        var pre = body["preconditions"] as JsonObject;
        return new DeleteOptions
        {
            PreconditionUid = pre?["uid"]?.GetValue<string>(),
            PreconditionResourceVersion = pre?["resourceVersion"]?.GetValue<string>(),
            PropagationPolicy = body["propagationPolicy"]?.GetValue<string>(),
            GracePeriodSeconds = body["gracePeriodSeconds"]?.GetValue<long>(),
            DryRun = body["dryRun"] is JsonArray a && a.Any(x => x?.GetValue<string>() == "All"),
        };
    }
}
