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

    /// <summary>
    /// Missing rules as escalation errors list them: single-resource rules differing only by verb merged into one
    /// (verbs in the order found), each printed in compact form, duplicates dropped, sorted.
    /// </summary>
    public static List<string> Describe(IEnumerable<PolicyRule> missing)
    {
        var compacted = new List<PolicyRule>();
        var simple = new Dictionary<(string Group, string Resource, string? Name), int>();
        foreach (var r in missing)
        {
            if (r.NonResourceUrls.Length > 0 || r.ResourceNames.Length > 1 || r.ApiGroups.Length != 1 || r.Resources.Length != 1)
            {
                compacted.Add(r);
                continue;
            }
            var key = (r.ApiGroups[0], r.Resources[0], r.ResourceNames.FirstOrDefault());
            if (simple.TryGetValue(key, out var at)) compacted[at] = compacted[at] with { Verbs = [.. compacted[at].Verbs, .. r.Verbs] };
            else
            {
                simple[key] = compacted.Count;
                compacted.Add(r);
            }
        }
        return [.. compacted.Select(r => r.CompactString()).Distinct().Order(StringComparer.Ordinal)];
    }

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
