using K8sHost.Registry.Contracts;

namespace K8sHost.Api.Auth.Authorization;

/// <summary>
/// Decides what a user may do. The self-subject reviews answer from it, so they stay true when another authorizer
/// (RBAC) replaces the default one: register a different IAuthorizer and every review follows.
/// </summary>
public interface IAuthorizer
{
    AuthorizationResult Authorize(AuthorizationAttributes attributes);

    /// <summary>Everything <paramref name="user"/> may do in <paramref name="ns"/> of <paramref name="tenant"/> (SelfSubjectRulesReview).</summary>
    RulesResult RulesFor(UserInfo user, string ns, Tenant tenant);
}
