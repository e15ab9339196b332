using K8sHost.Api.Auth.Authorization;
using K8sHost.Api.Auth.Rbac;
using K8sHost.Registry.Contracts;
using Xunit;

namespace K8sHost.UnitTests.Authorization;

public sealed class PolicyRuleTests
{
    private static readonly UserInfo U = new("u", []);

    private static AuthorizationAttributes Res(string verb, string group, string resource, string sub = "", string name = "") =>
        new(U, verb, true, "ns", group, "v1", resource, sub, name);

    [Fact]
    public void Wildcards_SubresourcesAndNames_MatchAsRbacDefines()
    {
        var star = new PolicyRule(["*"], ["*"], ["*"], [], []);
        Assert.True(star.Allows(Res("delete", "apps", "deployments", "scale")));

        var pods = new PolicyRule(["get"], [""], ["pods"], [], []);
        Assert.True(pods.Allows(Res("get", "", "pods")));
        Assert.False(pods.Allows(Res("get", "", "pods", "log")));
        Assert.False(pods.Allows(Res("list", "", "pods")));
        Assert.False(pods.Allows(Res("get", "apps", "pods")));

        var anyStatus = new PolicyRule(["get"], [""], ["*/status"], [], []);
        Assert.True(anyStatus.Allows(Res("get", "", "pods", "status")));
        Assert.False(anyStatus.Allows(Res("get", "", "pods")));
        Assert.False(anyStatus.Allows(Res("get", "", "pods", "log")));

        var named = new PolicyRule(["get"], [""], ["configmaps"], ["a"], []);
        Assert.True(named.Allows(Res("get", "", "configmaps", name: "a")));
        Assert.False(named.Allows(Res("get", "", "configmaps", name: "b")));
        Assert.False(named.Allows(Res("get", "", "configmaps")));
    }

    [Fact]
    public void NonResourceUrls_MatchExactlyOrByTrailingStar_AndNeverResources()
    {
        var rule = new PolicyRule(["get"], [], [], [], ["/healthz", "/logs/*"]);
        Assert.True(rule.Allows(new AuthorizationAttributes(U, "get", false, Path: "/healthz")));
        Assert.True(rule.Allows(new AuthorizationAttributes(U, "get", false, Path: "/logs/a/b")));
        Assert.False(rule.Allows(new AuthorizationAttributes(U, "get", false, Path: "/healthz/etcd")));
        Assert.False(rule.Allows(new AuthorizationAttributes(U, "post", false, Path: "/healthz")));
        Assert.False(rule.Allows(Res("get", "", "pods")));
    }

    [Fact]
    public void Coverage_BreaksWantedRulesDown_AndReportsOnlyWhatIsMissing_CompactedAndSorted()
    {
        IReadOnlyList<PolicyRule> held = [new(["get", "list"], [""], ["pods", "*/status"], [], []), new(["get"], [], [], [], ["/api/*"])];
        PolicyRule[] wanted =
        [
            new(["get", "list", "delete"], [""], ["pods", "services/status", "nodes"], [], []),
            new(["get"], [], [], [], ["/api/v1", "/metrics"]),
        ];
        var missing = RuleCoverage.Missing(held, wanted);
        Assert.Equal(
            [
                "{APIGroups:[\"\"], Resources:[\"nodes\"], Verbs:[\"get\" \"list\" \"delete\"]}",
                "{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"delete\"]}",
                "{APIGroups:[\"\"], Resources:[\"services/status\"], Verbs:[\"delete\"]}",
                "{NonResourceURLs:[\"/metrics\"], Verbs:[\"get\"]}",
            ],
            RuleCoverage.Describe(missing));
        Assert.Empty(RuleCoverage.Missing([new(["*"], ["*"], ["*"], [], []), new(["*"], [], [], [], ["*"])], wanted));
    }
}
