using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;
using K8sHost.Resources.Common;

namespace K8sHost.Resources.Rbac;

/// <summary>Validation of rules and bindings with kube-apiserver's rbac validation messages.</summary>
internal static class PolicyRuleChecks
{
    public static IEnumerable<FieldError> Rules(JsonObject obj, bool namespaced)
    {
        var rules = J.Objs(obj, "rules");
        for (var i = 0; i < rules.Count; i++)
        {
            var path = $"rules[{i}]";
            var r = rules[i];
            if (J.Strs(r, "verbs").Count == 0) yield return FieldError.Required($"{path}.verbs", "verbs must contain at least one value");
            var urls = J.Strs(r, "nonResourceURLs");
            if (urls.Count > 0)
            {
                if (namespaced)
                    yield return FieldError.Invalid($"{path}.nonResourceURLs", GoStrings(urls), "namespaced rules cannot apply to non-resource URLs");
                if (J.Strs(r, "apiGroups").Count > 0 || J.Strs(r, "resources").Count > 0 || J.Strs(r, "resourceNames").Count > 0)
                    yield return FieldError.Invalid($"{path}.nonResourceURLs", GoStrings(urls), "rules cannot apply to both regular resources and non-resource URLs");
                continue;
            }
            if (J.Strs(r, "apiGroups").Count == 0)
                yield return FieldError.Required($"{path}.apiGroups", "resource rules must supply at least one api group");
            if (J.Strs(r, "resources").Count == 0)
                yield return FieldError.Required($"{path}.resources", "resource rules must supply at least one resource");
        }
    }

    public static IEnumerable<FieldError> RoleRef(JsonObject obj, bool clusterBinding)
    {
        var kind = J.S(obj, "roleRef", "kind");
        string[] kinds = clusterBinding ? ["ClusterRole"] : ["Role", "ClusterRole"];
        if (!kinds.Contains(kind)) yield return FieldError.NotSupported("roleRef.kind", kind, kinds);
        var group = J.S(obj, "roleRef", "apiGroup");
        if (group != RbacNames.Group) yield return FieldError.NotSupported("roleRef.apiGroup", group, [RbacNames.Group]);
        var name = J.S(obj, "roleRef", "name");
        if (name.Length == 0) yield return FieldError.Required("roleRef.name");
        else foreach (var e in Checks.Value("roleRef.name", name, Checks.NameRule.PathSegment)) yield return e;
    }

    public static IEnumerable<FieldError> Subjects(JsonObject obj, bool clusterBinding)
    {
        var subjects = J.Objs(obj, "subjects");
        for (var i = 0; i < subjects.Count; i++)
        {
            var path = $"subjects[{i}]";
            var s = subjects[i];
            var name = J.S(s, "name");
            var group = J.S(s, "apiGroup");
            if (name.Length == 0) yield return FieldError.Required($"{path}.name");
            switch (J.S(s, "kind"))
            {
                case RbacNames.ServiceAccountKind:
                    if (name.Length > 0)
                        foreach (var e in Checks.Value($"{path}.name", name, Checks.NameRule.Subdomain)) yield return e;
                    if (group.Length > 0) yield return FieldError.NotSupported($"{path}.apiGroup", group, [""]);
                    if (clusterBinding && J.S(s, "namespace").Length == 0) yield return FieldError.Required($"{path}.namespace");
                    break;
                case RbacNames.UserKind or RbacNames.GroupKind:
                    if (group != RbacNames.Group) yield return FieldError.NotSupported($"{path}.apiGroup", group, [RbacNames.Group]);
                    break;
                case var kind:
                    yield return FieldError.NotSupported($"{path}.kind", kind,
                        [RbacNames.ServiceAccountKind, RbacNames.UserKind, RbacNames.GroupKind]);
                    break;
            }
        }
    }

    /// <summary>rbac/v1 defaulting: roleRef.apiGroup and subjects' apiGroup by kind.</summary>
    public static void DefaultBinding(JsonObject obj)
    {
        if (obj["roleRef"] is JsonObject roleRef) J.DefaultStr(roleRef, "apiGroup", RbacNames.Group);
        foreach (var s in J.Objs(obj, "subjects"))
        {
            if (J.Str(s, "apiGroup") is { Length: > 0 }) continue;
            var kind = J.S(s, "kind");
            if (kind is RbacNames.UserKind or RbacNames.GroupKind) s["apiGroup"] = RbacNames.Group;
            else if (kind == RbacNames.ServiceAccountKind) s["apiGroup"] = "";
        }
    }

    // Go's %q of a []string, as field errors print list values.
    private static string GoStrings(IEnumerable<string> values) => "[" + string.Join(" ", values.Select(v => $"\"{v}\"")) + "]";
}
