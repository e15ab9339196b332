using System.Text.Json.Nodes;
using K8sHost.Api.Auth.Authorization;
using K8sHost.Api.Reviews;
using K8sHost.Registry.Contracts;

namespace K8sHost.Api.Tests.Reviews;

public sealed class AuthorizerTests
{
    private static readonly IAuthorizer Authorizer = new UnionAuthorizer([new SuperuserAuthorizer()]);
    private static readonly UserInfo Admin = new("admin", ["system:masters", "system:authenticated"], "admin");
    private static readonly UserInfo Dev = new("dev", ["devs", "system:authenticated"]);
    private static readonly UserInfo Nobody = new("nobody", []);

    [Fact]
    public void Masters_AreAllowed_OthersHaveNoOpinionFromTheSuperuserCheck()
    {
        Assert.True(Authorizer.Authorize(new AuthorizationAttributes(Admin, "delete", true, "default", "", "v1", "pods")).Allowed);
        var dev = Authorizer.Authorize(new AuthorizationAttributes(Dev, "get", false, Path: "/healthz"));
        Assert.Equal(AuthorizationDecision.NoOpinion, dev.Decision);
        var none = Authorizer.Authorize(new AuthorizationAttributes(Nobody, "get", true, Resource: "pods"));
        Assert.Equal(AuthorizationDecision.NoOpinion, none.Decision);
        Assert.False(none.Allowed);
    }

    [Fact]
    public void Union_FirstDecisionWins_NoOpinionAsksTheNext()
    {
        var deny = new UnionAuthorizer([new SuperuserAuthorizer(), new AlwaysDenyAuthorizer(), new AlwaysAllowAuthorizer()]);
        Assert.True(deny.Authorize(new AuthorizationAttributes(Admin, "get", true, Resource: "pods")).Allowed);
        Assert.Equal(AuthorizationDecision.Deny, deny.Authorize(new AuthorizationAttributes(Dev, "get", true, Resource: "pods")).Decision);
    }

    [Fact]
    public void AccessReview_ForAUserWithoutRights_SaysNotAllowedAndNotDenied()
    {
        var review = JsonNode.Parse("""{"spec":{"nonResourceAttributes":{"path":"/metrics","verb":"get"}}}""")!.AsObject();
        var reply = SelfSubjectAccessReviews.Answer(review, Nobody, Authorizer);
        Assert.False((bool)reply["status"]!["allowed"]!);
        Assert.Null(reply["status"]!["denied"]);
        Assert.Equal("/metrics", (string?)reply["spec"]!["nonResourceAttributes"]!["path"]);
    }

    [Fact]
    public void RulesReview_ForAUserWithoutRights_IsEmpty()
    {
        var review = JsonNode.Parse("""{"spec":{"namespace":"default"}}""")!.AsObject();
        var status = SelfSubjectRulesReviews.Answer(review, Nobody, Authorizer)["status"]!;
        Assert.Empty(status["resourceRules"]!.AsArray());
        Assert.Empty(status["nonResourceRules"]!.AsArray());
    }

    [Fact]
    public void RulesReview_FollowsTheAuthorizer_NotAFixedAnswer()
    {
        var review = JsonNode.Parse("""{"spec":{"namespace":"team"}}""")!.AsObject();
        var status = SelfSubjectRulesReviews.Answer(review, Dev, new OnlyReadsInTeam())["status"]!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""[{"verbs":["get","list"],"apiGroups":[""],"resources":["pods"],"resourceNames":["web"]}]"""),
            status["resourceRules"]));
        Assert.True((bool)status["incomplete"]!);
    }

    [Fact]
    public void WhoAmI_ReportsNameUidAndGroups()
    {
        var info = SelfSubjectReviews.Answer(new JsonObject(), Admin)["status"]!["userInfo"]!;
        Assert.Equal("admin", (string?)info["username"]);
        Assert.Equal("admin", (string?)info["uid"]);
        Assert.Equal("""["system:masters","system:authenticated"]""", info["groups"]!.ToJsonString());
    }

    /// <summary>A stand-in policy (not a mock of the default): shows the reviews answer from whatever IAuthorizer is registered.</summary>
    private sealed class OnlyReadsInTeam : IAuthorizer
    {
        public AuthorizationResult Authorize(AuthorizationAttributes a) =>
            new(a.Namespace == "team" && a.Verb is "get" or "list" ? AuthorizationDecision.Allow : AuthorizationDecision.Deny, "");

        public RulesResult RulesFor(UserInfo user, string ns, Tenant tenant) =>
            new([new ResourceRule(["get", "list"], [""], ["pods"], ["web"])], [], Incomplete: true);
    }
}
