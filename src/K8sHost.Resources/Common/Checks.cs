using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;
using K8sHost.ApiMachinery.Validation;

namespace K8sHost.Resources.Common;

/// <summary>Validation pieces several kinds share, with apimachinery's messages. Name rules come from ApiMachinery.</summary>
internal static class Checks
{
    public static readonly string[] Protocols = ["SCTP", "TCP", "UDP"];

    public enum NameRule { Subdomain, Label, Dns1035, PathSegment }

    /// <summary>metadata.name against the kind's name rule (generateName-filled names included).</summary>
    public static IEnumerable<FieldError> Name(JsonObject obj, NameRule rule)
    {
        var name = J.Str(obj, "metadata", "name");
        if (string.IsNullOrEmpty(name)) yield break; // generic metadata validation reports the missing name
        foreach (var e in Value("metadata.name", name, rule)) yield return e;
    }

    public static IEnumerable<FieldError> Value(string field, string value, NameRule rule)
    {
        var messages = rule switch
        {
            NameRule.Label => NameRules.IsDns1123Label(value),
            NameRule.Dns1035 => NameRules.IsDns1035Label(value),
            NameRule.PathSegment => NameRules.IsValidPathSegmentName(value),
            _ => NameRules.IsDns1123Subdomain(value),
        };
        foreach (var m in messages) yield return FieldError.Invalid(field, value, m);
    }

    /// <summary>validation.IsValidPortNum with the inclusive-range message.</summary>
    public static IEnumerable<FieldError> Port(string field, long? port, bool required = true)
    {
        if (port is null or 0)
        {
            if (required) yield return FieldError.Required(field);
            yield break;
        }
        if (port is < 1 or > 65535) yield return FieldError.Invalid(field, port.Value, "must be between 1 and 65535, inclusive");
    }

    public static IEnumerable<FieldError> Protocol(string field, string? protocol)
    {
        if (protocol is null) yield break; // defaulted to TCP before validation
        if (!Protocols.Contains(protocol)) yield return FieldError.NotSupported(field, protocol, Protocols);
    }

    public static IEnumerable<FieldError> Ip(string field, string? ip)
    {
        if (string.IsNullOrEmpty(ip)) { yield return FieldError.Required(field); yield break; }
        foreach (var m in NetworkRules.IsValidIp(ip)) yield return FieldError.Invalid(field, ip, m);
    }

    /// <summary>IsValidCIDRForLegacyField: Go's sloppy CIDR parsing (host bits may be set).</summary>
    public static IEnumerable<FieldError> Cidr(string field, string cidr) =>
        NetworkRules.IsValidCidr(cidr).Select(m => FieldError.Invalid(field, cidr, m));

    /// <summary>ValidateLabelName: a qualified name (taint and toleration keys, label keys).</summary>
    public static IEnumerable<FieldError> LabelName(string field, string name) =>
        NameRules.IsQualifiedName(name).Select(m => FieldError.Invalid(field, name, m));

    /// <summary>IsValidPortName, one cause per broken rule as kube lists them.</summary>
    public static IEnumerable<FieldError> PortName(string field, string name) =>
        NetworkRules.IsValidPortName(name).Select(m => FieldError.Invalid(field, name, m));

    /// <summary>ValidateNonnegativeField.</summary>
    public static IEnumerable<FieldError> NonNegative(string field, long? value)
    {
        if (value is < 0) yield return FieldError.Invalid(field, value.Value, "must be greater than or equal to 0");
    }

    /// <summary>IsConfigMapKey, used for configmap and secret data keys.</summary>
    public static IEnumerable<FieldError> DataKey(string field, string key)
    {
        if (key.Length > 253) yield return FieldError.Invalid(field, key, "must be no more than 253 characters");
        if (key.Length == 0 || !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            yield return FieldError.Invalid(field, key,
                "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')");
        else if (key is "." or "..") yield return FieldError.Invalid(field, key, $"must not be '{key}'");
        else if (key.StartsWith("..", StringComparison.Ordinal)) yield return FieldError.Invalid(field, key, "must not start with '..'");
    }

    /// <summary>An update of a field kube declares immutable: "field is immutable".</summary>
    public static IEnumerable<FieldError> Immutable(string field, JsonNode? now, JsonNode? before)
    {
        if (!JsonNode.DeepEquals(now, before)) yield return FieldError.Invalid(field, Render(now), "field is immutable");
    }

    /// <summary>A struct as Go's %#v prints it in a cause (kube renders structs that way): Kind{Field:"x", Other:1}.</summary>
    public static GoValue Struct(string type, params (string Name, object? Value)[] fields) =>
        new($"{type}{{{string.Join(", ", fields.Select(f => $"{f.Name}:{GoLiteral(f.Value)}"))}}}");

    private static string GoLiteral(object? v) => v switch
    {
        null => "<nil>",
        string s => $"\"{s}\"",
        GoValue g => g.Text,
        _ => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };

    private static object? Render(JsonNode? n) => n is JsonValue v && J.Str(v) is { } s ? s : n?.ToJsonString();
}

/// <summary>A bad value printed verbatim in a cause (no quotes), for Go-rendered structs.</summary>
internal sealed record GoValue(string Text)
{
    public override string ToString() => Text;
}
