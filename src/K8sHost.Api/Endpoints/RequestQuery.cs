using System.Globalization;
using K8sHost.Api.Responses;
using K8sHost.ApiMachinery;
using K8sHost.ApiMachinery.Errors;
using K8sHost.Registry.Contracts;
using Microsoft.AspNetCore.Http;

namespace K8sHost.Api.Endpoints;

/// <summary>
/// The query parameters of a resource request, parsed and checked once. A malformed value is a 400 BadRequest naming
/// the parameter (kube-apiserver's query decoding fails the same way), never a silently ignored value.
/// </summary>
public sealed class RequestQuery(IQueryCollection query)
{
    public string? Get(string name) => query.TryGetValue(name, out var v) && v.Count > 0 ? v[^1] : null;

    public bool Watch => ParseBool("watch") ?? false;

    public bool DryRun
    {
        get
        {
            if (!query.TryGetValue("dryRun", out var values)) return false;
            var any = false;
            foreach (var v in values)
            {
                if (string.IsNullOrEmpty(v)) continue;
                if (v != "All") throw ApiError.BadRequest($"dryRun: Unsupported value: \"{v}\": supported values: \"All\"");
                any = true;
            }
            return any;
        }
    }

    public FieldValidation FieldValidation => Get("fieldValidation") switch
    {
        null or "" or "Warn" => FieldValidation.Warn,
        "Strict" => FieldValidation.Strict,
        "Ignore" => FieldValidation.Ignore,
        var v => throw ApiError.BadRequest($"fieldValidation: Unsupported value: \"{v}\": supported values: \"Ignore\", \"Strict\", \"Warn\""),
    };

    public IncludeObject IncludeObject => IncludeObjectParser.Parse(Get("includeObject"));

    public WriteOptions WriteOptions() => new()
    {
        DryRun = DryRun,
        FieldManager = Get("fieldManager"),
        FieldValidation = FieldValidation,
        Force = ParseBool("force") ?? false,
    };

    public ListOptions ListOptions() => new()
    {
        LabelSelector = Get("labelSelector"),
        FieldSelector = Get("fieldSelector"),
        Limit = (int)Math.Min(ParseLong("limit") ?? 0, int.MaxValue),
        Continue = Get("continue"),
        ResourceVersion = Get("resourceVersion"),
        ResourceVersionMatch = Get("resourceVersionMatch"),
    };

    public WatchOptions WatchOptions(string? extraFieldSelector = null)
    {
        var fs = Get("fieldSelector");
        if (extraFieldSelector is not null) fs = string.IsNullOrEmpty(fs) ? extraFieldSelector : fs + "," + extraFieldSelector;
        return new WatchOptions
        {
            LabelSelector = Get("labelSelector"),
            FieldSelector = fs,
            ResourceVersion = Get("resourceVersion"),
            ResourceVersionMatch = Get("resourceVersionMatch"),
            AllowBookmarks = ParseBool("allowWatchBookmarks") ?? false,
            SendInitialEvents = ParseBool("sendInitialEvents") ?? false,
            Timeout = TimeoutSeconds is long s and > 0 ? TimeSpan.FromSeconds(Math.Min(s, MaxWatchTimeoutSeconds)) : null,
        };
    }

    /// <summary>
    /// The longest watch timeout honoured: the longest delay .NET timers take (~49 days; beyond it TimeSpan math and
    /// CancelAfter throw). timeoutSeconds is any int64 in kube-apiserver, whose duration math wraps silently; here a larger
    /// value means "as long as possible", which is what a client sending 99999999999999 asks for.
    /// </summary>
    public const long MaxWatchTimeoutSeconds = (uint.MaxValue - 1L) / 1000;

    public long? TimeoutSeconds => ParseLong("timeoutSeconds");

    /// <summary>Query parameters of DELETE override the same fields of the body's DeleteOptions.</summary>
    public DeleteOptions ApplyTo(DeleteOptions body) => body with
    {
        GracePeriodSeconds = ParseLong("gracePeriodSeconds", allowNegative: true) ?? body.GracePeriodSeconds,
        PropagationPolicy = Get("propagationPolicy") is { Length: > 0 } p ? CheckPropagation(p) : body.PropagationPolicy,
        DryRun = DryRun || body.DryRun,
    };

    private static string CheckPropagation(string p) => p is "Orphan" or "Background" or "Foreground"
        ? p
        : throw ApiError.BadRequest($"propagationPolicy: Unsupported value: \"{p}\": supported values: \"Background\", \"Foreground\", \"Orphan\"");

    /// <summary>Go's strconv.ParseBool spellings, which is what kube-apiserver accepts.</summary>
    private bool? ParseBool(string name) => Get(name) switch
    {
        null or "" => null,
        "1" or "t" or "T" or "true" or "TRUE" or "True" => true,
        "0" or "f" or "F" or "false" or "FALSE" or "False" => false,
        var v => throw ApiError.BadRequest($"{name}: invalid value \"{v}\": must be a boolean"),
    };

    private long? ParseLong(string name, bool allowNegative = false)
    {
        var v = Get(name);
        if (string.IsNullOrEmpty(v)) return null;
        if (!long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) || (!allowNegative && n < 0))
            throw ApiError.BadRequest($"{name}: invalid value \"{v}\": must be a{(allowNegative ? "n" : " non-negative")} integer");
        return n;
    }
}
