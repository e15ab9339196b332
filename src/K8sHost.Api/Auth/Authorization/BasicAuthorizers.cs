using K8sHost.Registry.Contracts;

namespace K8sHost.Api.Auth.Authorization;

/// <summary>--authorization-mode=AlwaysAllow: everything is allowed (development only, as upstream warns).</summary>
public sealed class AlwaysAllowAuthorizer : IAuthorizer
{
    private static readonly RulesResult Everything = new(
        [new ResourceRule(["*"], ["*"], ["*"], [])],
        [new NonResourceRule(["*"], ["*"])],
        Incomplete: false);

    public AuthorizationResult Authorize(AuthorizationAttributes attributes) => new(AuthorizationDecision.Allow, "");

    public RulesResult RulesFor(UserInfo user, string ns, Tenant tenant) => Everything;
}

/// <summary>--authorization-mode=AlwaysDeny: everything is denied (a test mode upstream keeps too).</summary>
public sealed class AlwaysDenyAuthorizer : IAuthorizer
{
    public AuthorizationResult Authorize(AuthorizationAttributes attributes) => new(AuthorizationDecision.Deny, "Everything is forbidden.");

    public RulesResult RulesFor(UserInfo user, string ns, Tenant tenant) => new([], [], Incomplete: true);
}

/// <summary>
/// Members of system:masters may do everything, whatever the RBAC objects say: kube-apiserver puts this check in
/// front of every other authorizer, so a broken policy can always be repaired by the cluster's superusers.
/// </summary>
public sealed class SuperuserAuthorizer : IAuthorizer
{
    public const string MastersGroup = "system:masters";

    public AuthorizationResult Authorize(AuthorizationAttributes attributes) =>
        attributes.User.Groups.Contains(MastersGroup)
            ? new(AuthorizationDecision.Allow, "")
            : new(AuthorizationDecision.NoOpinion, "");

    // Rules reviews list what RBAC grants; upstream's privileged-group check adds nothing there either.
    public RulesResult RulesFor(UserInfo user, string ns, Tenant tenant) => new([], [], Incomplete: false);
}

/// <summary>
/// --authorization-mode=Node: the node authorizer decides only for node identities (system:node:NAME in
/// system:nodes). No node agent authenticates as one yet, so it has no opinion on anything; accepting the mode keeps
/// kube-apiserver's usual "Node,RBAC" command line working.
/// </summary>
public sealed class NodeAuthorizer : IAuthorizer
{
    public AuthorizationResult Authorize(AuthorizationAttributes attributes) => new(AuthorizationDecision.NoOpinion, "");

    public RulesResult RulesFor(UserInfo user, string ns, Tenant tenant) => new([], [], Incomplete: false);
}

/// <summary>
/// Several authorizers in order (kube-apiserver's union): the first Allow or Deny decides, NoOpinion asks the next.
/// Rules reviews merge every member's rules; any member that cannot list everything makes the answer incomplete.
/// </summary>
public sealed class UnionAuthorizer(IReadOnlyList<IAuthorizer> members) : IAuthorizer
{
    public IReadOnlyList<IAuthorizer> Members { get; } = members;

    public AuthorizationResult Authorize(AuthorizationAttributes attributes)
    {
        var reasons = new List<string>();
        foreach (var m in Members)
        {
            var r = m.Authorize(attributes);
            if (r.Decision != AuthorizationDecision.NoOpinion) return r;
            if (r.Reason.Length > 0) reasons.Add(r.Reason);
        }
        return new(AuthorizationDecision.NoOpinion, string.Join("\n", reasons));
    }

    public RulesResult RulesFor(UserInfo user, string ns, Tenant tenant)
    {
        var resource = new List<ResourceRule>();
        var nonResource = new List<NonResourceRule>();
        var incomplete = false;
        var errors = new List<string>();
        foreach (var m in Members)
        {
            var r = m.RulesFor(user, ns, tenant);
            resource.AddRange(r.ResourceRules);
            nonResource.AddRange(r.NonResourceRules);
            incomplete |= r.Incomplete;
            if (r.EvaluationError.Length > 0) errors.Add(r.EvaluationError);
        }
        return new(resource, nonResource, incomplete, string.Join("; ", errors));
    }
}
