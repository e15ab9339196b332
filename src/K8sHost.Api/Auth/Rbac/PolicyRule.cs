using System.Text.Json;
using System.Text.Json.Nodes;
using K8sHost.Api.Auth.Authorization;

namespace K8sHost.Api.Auth.Rbac;

/// <summary>
/// One rbac/v1 PolicyRule and kube's matching semantics: "*" matches any verb, group or resource; "*/sub" any
/// resource's subresource "sub"; empty resourceNames any name; a non-resource URL ending in "*" any path with that prefix.
/// </summary>
public sealed record PolicyRule(string[] Verbs, string[] ApiGroups, string[] Resources, string[] ResourceNames, string[] NonResourceUrls)
{
    public const string All = "*";

    public static PolicyRule From(JsonObject rule) =>
        new(Strings(rule, "verbs"), Strings(rule, "apiGroups"), Strings(rule, "resources"), Strings(rule, "resourceNames"),
            Strings(rule, "nonResourceURLs"));

    public static IReadOnlyList<PolicyRule> ListFrom(JsonObject obj) =>
        obj["rules"] is JsonArray a ? [.. a.OfType<JsonObject>().Select(From)] : [];

    public bool Allows(AuthorizationAttributes a)
    {
        if (!VerbMatches(a.Verb)) return false;
        if (!a.IsResourceRequest) return NonResourceUrlMatches(a.Path);
        return GroupMatches(a.ApiGroup) && ResourceMatches(a.Resource, a.Subresource) && NameMatches(a.Name);
    }

    public bool VerbMatches(string verb) => Verbs.Contains(All) || Verbs.Contains(verb);

    public bool GroupMatches(string group) => ApiGroups.Contains(All) || ApiGroups.Contains(group);

    public bool ResourceMatches(string resource, string subresource)
    {
        var combined = subresource.Length > 0 ? $"{resource}/{subresource}" : resource;
        foreach (var r in Resources)
        {
            if (r == All || r == combined) return true;
            if (subresource.Length > 0 && r.Length == subresource.Length + 2 && r.StartsWith("*/", StringComparison.Ordinal) &&
                r.EndsWith(subresource, StringComparison.Ordinal)) return true;
        }
        return false;
    }

    public bool NameMatches(string name) => ResourceNames.Length == 0 || ResourceNames.Contains(name);

    public bool NonResourceUrlMatches(string path)
    {
        foreach (var u in NonResourceUrls)
        {
            if (u == All || u == path) return true;
            if (u.EndsWith('*') && path.StartsWith(u.TrimEnd('*'), StringComparison.Ordinal)) return true;
        }
        return false;
    }

    public JsonObject ToJson()
    {
        var o = new JsonObject();
        if (ApiGroups.Length > 0) o["apiGroups"] = Array(ApiGroups);
        if (Resources.Length > 0) o["resources"] = Array(Resources);
        if (ResourceNames.Length > 0) o["resourceNames"] = Array(ResourceNames);
        if (NonResourceUrls.Length > 0) o["nonResourceURLs"] = Array(NonResourceUrls);
        o["verbs"] = Array(Verbs);
        return o;
    }

    /// <summary>PolicyRule.CompactString, the form escalation errors list missing rules in.</summary>
    public string CompactString()
    {
        var parts = new List<string>();
        if (ApiGroups.Length > 0) parts.Add("APIGroups:" + GoQuoted(ApiGroups));
        if (Resources.Length > 0) parts.Add("Resources:" + GoQuoted(Resources));
        if (NonResourceUrls.Length > 0) parts.Add("NonResourceURLs:" + GoQuoted(NonResourceUrls));
        if (ResourceNames.Length > 0) parts.Add("ResourceNames:" + GoQuoted(ResourceNames));
        if (Verbs.Length > 0) parts.Add("Verbs:" + GoQuoted(Verbs));
        return "{" + string.Join(", ", parts) + "}";
    }

    /// <summary>Equal content (records compare arrays by reference).</summary>
    public bool SameAs(PolicyRule other) =>
        Verbs.SequenceEqual(other.Verbs) && ApiGroups.SequenceEqual(other.ApiGroups) && Resources.SequenceEqual(other.Resources) &&
        ResourceNames.SequenceEqual(other.ResourceNames) && NonResourceUrls.SequenceEqual(other.NonResourceUrls);

    /// <summary>Go's %q of a []string: ["a" "b"].</summary>
    public static string GoQuoted(IEnumerable<string> values) => "[" + string.Join(" ", values.Select(v => JsonSerializer.Serialize(v))) + "]";

    private static JsonArray Array(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)v)]);

    private static string[] Strings(JsonObject o, string field) =>
        o[field] is JsonArray a ? [.. a.OfType<JsonValue>().Where(v => v.GetValueKind() == JsonValueKind.String).Select(v => v.GetValue<string>())] : [];
}
