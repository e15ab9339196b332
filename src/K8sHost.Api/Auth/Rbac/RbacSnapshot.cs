using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using K8sHost.Api.Auth.Authorization;
using K8sHost.Registry.Contracts;
using K8sHost.Resources.Rbac;

namespace K8sHost.Api.Auth.Rbac;

public sealed record Subject(string Kind, string Name, string Namespace);

/// <summary>A RoleBinding (Namespace set) or ClusterRoleBinding (Namespace "").</summary>
public sealed record Binding(string Namespace, string Name, string RoleKind, string RoleName, IReadOnlyList<Subject> Subjects)
{
    public static Binding From(JsonObject obj, string ns) => new(ns, Str(obj["metadata"]?["name"]),
        Str(obj["roleRef"]?["kind"]), Str(obj["roleRef"]?["name"]),
        obj["subjects"] is JsonArray a
            ? [.. a.OfType<JsonObject>().Select(s => new Subject(Str(s["kind"]), Str(s["name"]), Str(s["namespace"])))]
            : []);

    /// <summary>appliesToUser: a User by name, a Group the user is in, or the service account the user is.</summary>
    public bool AppliesTo(UserInfo user) => Subjects.Any(s => s.Kind switch
    {
        RbacNames.UserKind => s.Name == user.Name,
        RbacNames.GroupKind => user.Groups.Contains(s.Name),
        RbacNames.ServiceAccountKind => user.Name == ServiceAccountUser(s.Namespace.Length > 0 ? s.Namespace : Namespace, s.Name),
        _ => false,
    });

    public string Describe(UserInfo user)
    {
        var s = Subjects.First(x => new Binding(Namespace, Name, RoleKind, RoleName, [x]).AppliesTo(user));
        var subject = s.Kind == RbacNames.ServiceAccountKind
            ? $"{s.Kind} \"{s.Name}/{(s.Namespace.Length > 0 ? s.Namespace : Namespace)}\""
            : $"{s.Kind} \"{s.Name}\"";
        return Namespace.Length == 0
            ? $"ClusterRoleBinding \"{Name}\" of {RoleKind} \"{RoleName}\" to {subject}"
            : $"RoleBinding \"{Namespace}/{Name}\" of {RoleKind} \"{RoleName}\" to {subject}";
    }

    public static string ServiceAccountUser(string ns, string name) => $"system:serviceaccount:{ns}:{name}";

    private static string Str(JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
}

/// <summary>
/// One tenant's RBAC objects at one moment, parsed once, plus the decisions made against them. A write to any RBAC
/// object of the tenant replaces the snapshot, and with it every cached decision.
/// </summary>
public sealed class RbacSnapshot
{
    private const int MaxCachedDecisions = 100_000;

    public static readonly RbacSnapshot Empty = new([], [], [], []);

    public RbacSnapshot(Dictionary<string, IReadOnlyList<PolicyRule>> clusterRoles, Dictionary<(string Ns, string Name), IReadOnlyList<PolicyRule>> roles,
        List<Binding> clusterRoleBindings, Dictionary<string, List<Binding>> roleBindings)
    {
        ClusterRoles = clusterRoles;
        Roles = roles;
        ClusterRoleBindings = clusterRoleBindings;
        RoleBindings = roleBindings;
    }

    public IReadOnlyDictionary<string, IReadOnlyList<PolicyRule>> ClusterRoles { get; }
    public IReadOnlyDictionary<(string Ns, string Name), IReadOnlyList<PolicyRule>> Roles { get; }
    public IReadOnlyList<Binding> ClusterRoleBindings { get; }
    public IReadOnlyDictionary<string, List<Binding>> RoleBindings { get; }

    internal ConcurrentDictionary<DecisionKey, AuthorizationResult> Decisions { get; } = new();

    internal void Remember(DecisionKey key, AuthorizationResult result)
    {
        if (Decisions.Count >= MaxCachedDecisions) Decisions.Clear();
        Decisions[key] = result;
    }

    /// <summary>
    /// Every rule that applies to <paramref name="user"/> in <paramref name="ns"/> ("" = cluster-wide only), with the
    /// binding it comes from, in kube's order: cluster role bindings, then the namespace's role bindings. A binding
    /// to a missing role contributes an error instead.
    /// </summary>
    public IEnumerable<(Binding Source, PolicyRule? Rule, string? Error)> RulesFor(UserInfo user, string ns)
    {
        foreach (var b in ClusterRoleBindings)
        {
            if (b.RoleKind != "ClusterRole" || !b.AppliesTo(user)) continue;
            foreach (var r in Resolve(b)) yield return r;
        }
        if (ns.Length == 0 || !RoleBindings.TryGetValue(ns, out var bindings)) yield break;
        foreach (var b in bindings)
        {
            if (!b.AppliesTo(user)) continue;
            foreach (var r in Resolve(b)) yield return r;
        }
    }

    /// <summary>The rules a roleRef names, or the not-found error kube reports for it.</summary>
    public IReadOnlyList<PolicyRule>? RoleRules(string kind, string name, string ns) => kind switch
    {
        "ClusterRole" => ClusterRoles.GetValueOrDefault(name),
        "Role" => Roles.GetValueOrDefault((ns, name)),
        _ => null,
    };

    private IEnumerable<(Binding, PolicyRule?, string?)> Resolve(Binding b)
    {
        var rules = RoleRules(b.RoleKind, b.RoleName, b.Namespace);
        if (rules is null)
        {
            yield return (b, null, $"{b.RoleKind.ToLowerInvariant()}.{RbacNames.Group} \"{b.RoleName}\" not found");
            yield break;
        }
        foreach (var r in rules) yield return (b, r, null);
    }
}

/// <summary>A cached decision's question: who (name and groups) asks what.</summary>
internal readonly record struct DecisionKey(string User, string Groups, string Verb, bool IsResource, string Namespace, string ApiGroup,
    string Resource, string Subresource, string Name, string Path);
