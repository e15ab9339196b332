using K8sHost.Registry.Contracts;

namespace K8sHost.Api.Auth.Authorization;

/// <summary>
/// Today's policy: members of system:masters (kube-apiserver's superuser group) and every authenticated user may do
/// everything; anyone else gets no opinion, which means not allowed.
/// </summary>
public sealed class AllowAuthenticatedAuthorizer : IAuthorizer
{
    public const string MastersGroup = "system:masters";
    public const string AuthenticatedGroup = "system:authenticated";

    private static readonly RulesResult Everything = new(
        [new ResourceRule(["*"], ["*"], ["*"], [])],
        [new NonResourceRule(["*"], ["*"])],
        Incomplete: false);

    private static readonly RulesResult Nothing = new([], [], Incomplete: false);

    public AuthorizationResult Authorize(AuthorizationAttributes attributes) => Why(attributes.User) is { } reason
        ? new AuthorizationResult(AuthorizationDecision.Allow, reason)
        : new AuthorizationResult(AuthorizationDecision.NoOpinion, "");

    public RulesResult RulesFor(UserInfo user, string ns) => Why(user) is null ? Nothing : Everything;

    private static string? Why(UserInfo user) =>
        user.Groups.Contains(MastersGroup) ? $"allowed: member of {MastersGroup}"
        : user.Groups.Contains(AuthenticatedGroup) ? "allowed: every authenticated user may do everything"
        : null;
}
