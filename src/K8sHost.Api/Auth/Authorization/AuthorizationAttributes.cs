using K8sHost.Registry.Contracts;

namespace K8sHost.Api.Auth.Authorization;

/// <summary>
/// What is being asked, as kube-apiserver's authorizer.Attributes: a resource request (verb on group/resource in a
/// namespace, optionally one name or subresource) or a non-resource request (verb on a URL path).
/// Empty strings mean "all" (namespace) or "none" (subresource, name), as in authorization.k8s.io ResourceAttributes.
/// </summary>
public sealed record AuthorizationAttributes(
    UserInfo User,
    string Verb,
    bool IsResourceRequest,
    string Namespace = "",
    string ApiGroup = "",
    string ApiVersion = "",
    string Resource = "",
    string Subresource = "",
    string Name = "",
    string Path = "")
{
    /// <summary>Whose policy applies: every tenant is a cluster of its own, with its own RBAC objects.</summary>
    public Tenant Tenant { get; init; } = Tenant.Default;
}

public enum AuthorizationDecision
{
    Allow,
    Deny,
    /// <summary>This authorizer has no rule for the request; with no other authorizer it is not allowed.</summary>
    NoOpinion,
}

public sealed record AuthorizationResult(AuthorizationDecision Decision, string Reason)
{
    public bool Allowed => Decision == AuthorizationDecision.Allow;
}

/// <summary>authorization.k8s.io ResourceRule: verbs on resources of API groups, optionally limited to names.</summary>
public sealed record ResourceRule(IReadOnlyList<string> Verbs, IReadOnlyList<string> ApiGroups, IReadOnlyList<string> Resources,
    IReadOnlyList<string> ResourceNames);

/// <summary>authorization.k8s.io NonResourceRule: verbs on URL paths ("*" or a prefix ending in "*").</summary>
public sealed record NonResourceRule(IReadOnlyList<string> Verbs, IReadOnlyList<string> NonResourceUrls);

/// <summary>The rules a user has in a namespace; Incomplete when the authorizer cannot list everything it would allow.</summary>
public sealed record RulesResult(IReadOnlyList<ResourceRule> ResourceRules, IReadOnlyList<NonResourceRule> NonResourceRules,
    bool Incomplete, string EvaluationError = "");
