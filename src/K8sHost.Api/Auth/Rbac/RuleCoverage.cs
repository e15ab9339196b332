namespace K8sHost.Api.Auth.Rbac;

/// <summary>
/// Whether a set of rules a requester holds covers the rules it wants to grant (escalation prevention). Wanted rules
/// are broken down into single-verb, single-resource (single-name, single-URL) rules, each of which some held rule
/// must cover; what is left over is what the requester would gain.
/// </summary>
public static class RuleCoverage
{
    public static List<PolicyRule> Missing(IReadOnlyList<PolicyRule> held, IEnumerable<PolicyRule> wanted) =>
        [.. wanted.SelectMany(Breakdown).Where(w => !held.Any(h => Covers(h, w)))];

    public static IEnumerable<PolicyRule> Breakdown(PolicyRule rule)
    {
        foreach (var group in rule.ApiGroups)
            foreach (var resource in rule.Resources)
                foreach (var verb in rule.Verbs)
                {
                    if (rule.ResourceNames.Length == 0) yield return new([verb], [group], [resource], [], []);
                    else foreach (var name in rule.ResourceNames) yield return new([verb], [group], [resource], [name], []);
                }
        foreach (var url in rule.NonResourceUrls)
            foreach (var verb in rule.Verbs)
                yield return new([verb], [], [], [], [url]);
    }

    public static bool Covers(PolicyRule owner, PolicyRule sub)
    {
        var verbs = owner.Verbs.Contains(PolicyRule.All) || sub.Verbs.All(owner.Verbs.Contains);
        var groups = owner.ApiGroups.Contains(PolicyRule.All) || sub.ApiGroups.All(owner.ApiGroups.Contains);
        var names = sub.ResourceNames.Length == 0
            ? owner.ResourceNames.Length == 0
            : owner.ResourceNames.Length == 0 || sub.ResourceNames.All(owner.ResourceNames.Contains);
        return verbs && groups && names && ResourcesCover(owner.Resources, sub.Resources) && UrlsCover(owner.NonResourceUrls, sub.NonResourceUrls);
    }

    private static bool ResourcesCover(string[] owner, string[] wanted)
    {
        if (owner.Contains(PolicyRule.All)) return true;
        foreach (var w in wanted)
        {
            if (owner.Contains(w)) continue;
            var slash = w.IndexOf('/');
            if (slash < 0 || !owner.Contains("*/" + w[(slash + 1)..])) return false;
        }
        return true;
    }

    private static bool UrlsCover(string[] owner, string[] wanted) =>
        wanted.All(w => owner.Any(o => o == PolicyRule.All || o == w ||
            (o.EndsWith('*') && w.StartsWith(o.TrimEnd('*'), StringComparison.Ordinal))));
}
