using System.Text;

namespace K8sHost.ApiMachinery.Errors;

/// <summary>
/// kube-apiserver's wording for bodies that cannot become the endpoint's kind (its transformDecodeError and the
/// scheme's messages), so `kubectl` output and scripts that grep it read the same here:
/// "the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse error: ..." when
/// the body has no readable kind, "Pod in version \"v1\" cannot be handled as a Namespace: ..." when it has one.
/// </summary>
public static class DecodeErrors
{
    /// <summary>What kube-apiserver's JSON decoder prefixes to a syntax error found while looking for apiVersion/kind.</summary>
    public const string JsonParsePrefix = "couldn't get version/kind; json parse error: ";

    /// <summary>Go's type for the apiVersion/kind probe, named when the top level of a body is not an object.</summary>
    public const string KindProbeType = "struct { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string \"json:\\\"kind,omitempty\\\"\" }";

    /// <summary>The scheme kube-apiserver names when a kind is not registered.</summary>
    public const string Scheme = "pkg/api/legacyscheme/scheme.go:30";

    /// <summary>The body's kind could not be read: the reason plus a short summary of the body (its start, or hex).</summary>
    public static ApiError Unrecognized(string targetKind, string reason, ReadOnlySpan<byte> body) =>
        ApiError.BadRequest($"the object provided is unrecognized (must be of type {targetKind}): {reason} ({Summarize(body)})");

    /// <summary>The body names a kind (or the endpoint's kind is assumed) but cannot be decoded as <paramref name="targetKind"/>.</summary>
    public static ApiError CannotBeHandled(string dataKind, string dataVersion, string targetKind, string reason) =>
        ApiError.BadRequest($"{dataKind} in version \"{dataVersion}\" cannot be handled as a {targetKind}: {reason}");

    /// <summary>The scheme's error for a kind/apiVersion pair no served resource has.</summary>
    public static string NotRegistered(string kind, string apiVersion) =>
        $"no kind \"{kind}\" is registered for version \"{apiVersion}\" in scheme \"{Scheme}\"";

    /// <summary>The converter's error for a known kind sent to another kind's endpoint: versioned type → internal type.</summary>
    public static string UnknownConversion(string fromVersion, string fromKind, string toGroup, string toKind) =>
        $"converting ({fromVersion}.{fromKind}) to ({InternalPackage(toGroup)}.{toKind}): unknown conversion";

    /// <summary>The "version" part of an apiVersion ("apps/v1" → "v1").</summary>
    public static string VersionOf(string apiVersion) => apiVersion[(apiVersion.IndexOf('/') + 1)..];

    /// <summary>The Go package of a group's internal types: core for the legacy group (and events.k8s.io), else the first label.</summary>
    private static string InternalPackage(string group) => group switch
    {
        "" or "events.k8s.io" => "core",
        _ => group.Split('.')[0],
    };

    /// <summary>summarizeData: the first 30 bytes of a body that looks like JSON, else their hex.</summary>
    private static string Summarize(ReadOnlySpan<byte> body)
    {
        const int max = 30;
        if (body.IsEmpty) return "<empty>";
        var head = body[..Math.Min(body.Length, max)];
        var more = body.Length > max ? " ..." : "";
        return body[0] == (byte)'{'
            ? Encoding.UTF8.GetString(head) + more
            : Convert.ToHexStringLower(head) + more;
    }
}
