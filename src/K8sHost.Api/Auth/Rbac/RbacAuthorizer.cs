using System.Runtime.CompilerServices;
using K8sHost.Api.Auth.Authorization;
using K8sHost.Registry.Contracts;

namespace K8sHost.Api.Auth.Rbac;

/// <summary>
/// --authorization-mode=RBAC: allows what some Role or ClusterRole bound to the user (by name, group or service
/// account) grants; otherwise no opinion, with "RBAC: …" naming bindings whose role is missing. Decisions are cached
/// per question in the tenant's snapshot, so repeated requests of one identity cost a dictionary lookup.
/// </summary>
public sealed class RbacAuthorizer(RbacPolicySource policy) : IAuthorizer
{
    private static readonly ConditionalWeakTable<IReadOnlyList<string>, string> JoinedGroups = new();

    public AuthorizationResult Authorize(AuthorizationAttributes a)
    {
        var snapshot = policy.Get(a.Tenant);
        var key = new DecisionKey(a.User.Name, JoinedGroups.GetValue(a.User.Groups, g => string.Join('\n', g)), a.Verb, a.IsResourceRequest,
            a.Namespace, a.ApiGroup, a.Resource, a.Subresource, a.Name, a.IsResourceRequest ? "" : a.Path);
        if (snapshot.Decisions.TryGetValue(key, out var cached)) return cached;
        var result = Decide(snapshot, a);
        snapshot.Remember(key, result);
        return result;
    }

    public RulesResult RulesFor(UserInfo user, string ns, Tenant tenant)
    {
        var resource = new List<ResourceRule>();
        var nonResource = new List<NonResourceRule>();
        var errors = new List<string>();
        foreach (var (_, rule, error) in policy.Get(tenant).RulesFor(user, ns))
        {
            if (error is not null) { errors.Add(error); continue; }
            if (rule!.NonResourceUrls.Length > 0) nonResource.Add(new NonResourceRule(rule.Verbs, rule.NonResourceUrls));
            if (rule.Resources.Length > 0) resource.Add(new ResourceRule(rule.Verbs, rule.ApiGroups, rule.Resources, rule.ResourceNames));
        }
        return new RulesResult(resource, nonResource, Incomplete: errors.Count > 0, Aggregate(errors));
    }

    /// <summary>The rules <paramref name="user"/> holds in <paramref name="ns"/> ("" = cluster-wide), for escalation checks.</summary>
    public (List<PolicyRule> Rules, List<string> Errors) HeldRules(UserInfo user, string ns, Tenant tenant)
    {
        var rules = new List<PolicyRule>();
        var errors = new List<string>();
        foreach (var (_, rule, error) in policy.Get(tenant).RulesFor(user, ns))
            if (rule is not null) rules.Add(rule); else errors.Add(error!);
        return (rules, errors);
    }

    /// <summary>The rules a roleRef names in a tenant; null when the role does not exist.</summary>
    public IReadOnlyList<PolicyRule>? RoleRulesOf(Tenant tenant, string kind, string name, string ns) =>
        policy.Get(tenant).RoleRules(kind, name, ns);

    private static AuthorizationResult Decide(RbacSnapshot snapshot, AuthorizationAttributes a)
    {
        var errors = new List<string>();
        foreach (var (source, rule, error) in snapshot.RulesFor(a.User, a.Namespace))
        {
            if (error is not null) { errors.Add(error); continue; }
            if (rule!.Allows(a)) return new(AuthorizationDecision.Allow, $"RBAC: allowed by {source.Describe(a.User)}");
        }
        return new(AuthorizationDecision.NoOpinion, errors.Count == 0 ? "" : "RBAC: " + Aggregate(errors));
    }

    // utilerrors.NewAggregate's text: one error as is, several in brackets.
    private static string Aggregate(List<string> errors) => errors.Count switch
    {
        0 => "",
        1 => errors[0],
        _ => "[" + string.Join(", ", errors) + "]",
    };
}
