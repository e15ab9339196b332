using System.Net;
using System.Text.Json.Nodes;
using Xunit;

namespace K8sHost.E2E.Tests.Authorization;

/// <summary>resourceNames, nonResourceURLs with a trailing "*", subresources and clusterrole aggregation, as RBAC defines them.</summary>
[Collection("rbac")]
public sealed class RbacRuleSemanticsTests(RbacServerFixture fx)
{
    [Fact]
    public async Task ResourceNames_AllowOnlyTheNamedObjects_AndNoList()
    {
        var k = fx.Kubectl;
        await k.OkAsync("create configmap allowed-cm -n team --from-literal=a=1");
        await k.OkAsync("create configmap other-cm -n team --from-literal=a=2");
        await k.OkAsync("create role one-configmap -n team --verb=get,list,update --resource=configmaps --resource-name=allowed-cm");
        await k.OkAsync("create rolebinding carol-one-configmap -n team --role=one-configmap --user=carol");

        using var carol = fx.As("carol");
        Assert.Equal(HttpStatusCode.OK, (await carol.GetAsync("/api/v1/namespaces/team/configmaps/allowed-cm")).StatusCode);
        var other = await RbacServerFixture.StatusOf(await carol.GetAsync("/api/v1/namespaces/team/configmaps/other-cm"), HttpStatusCode.Forbidden);
        Assert.Equal("configmaps \"other-cm\" is forbidden: User \"carol\" cannot get resource \"configmaps\" in API group \"\" in the namespace \"team\"",
            (string?)other["message"]);
        Assert.Equal("other-cm", (string?)other["details"]!["name"]);
        await RbacServerFixture.StatusOf(await carol.GetAsync("/api/v1/namespaces/team/configmaps"), HttpStatusCode.Forbidden);
        // A list narrowed to the one name by field selector is a request for that name.
        Assert.Equal(HttpStatusCode.OK,
            (await carol.GetAsync("/api/v1/namespaces/team/configmaps?fieldSelector=metadata.name%3Dallowed-cm")).StatusCode);
    }

    [Fact]
    public async Task NonResourceUrls_MatchExactlyOrByTrailingStar()
    {
        var k = fx.Kubectl;
        await k.OkAsync("create clusterrole probe-reader --verb=get --non-resource-url=/metrics --non-resource-url=/logs/*");
        await k.OkAsync("create clusterrolebinding bob-probe-reader --clusterrole=probe-reader --user=bob");
        using var bob = fx.As("bob");
        using var alice = fx.As("alice");
        // Allowed paths pass authorization and reach what is served there (/metrics; nothing under /logs: 404).
        Assert.Equal(HttpStatusCode.OK, (await bob.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync("/logs/kube-apiserver.log")).StatusCode);
        var post = await RbacServerFixture.StatusOf(await bob.PostAsync("/metrics", RbacServerFixture.Json("{}")), HttpStatusCode.Forbidden);
        Assert.Equal("forbidden: User \"bob\" cannot post path \"/metrics\"", (string?)post["message"]);
        await RbacServerFixture.StatusOf(await bob.GetAsync("/logsx"), HttpStatusCode.Forbidden);
        await RbacServerFixture.StatusOf(await alice.GetAsync("/logs/kube-apiserver.log"), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Subresources_AreGrantedSeparately_AndStarSlashGrantsOneSubresourceOfEveryResource()
    {
        var k = fx.Kubectl;
        await k.OkAsync("create ns subres");
        await k.OkAsync("apply -f -", """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: status-reader, namespace: subres}
            rules:
            - {apiGroups: [""], resources: ["*/status"], verbs: ["get"]}
            """);
        await k.OkAsync("create rolebinding carol-status -n subres --role=status-reader --user=carol");
        using var carol = fx.As("carol");
        Assert.NotEqual(HttpStatusCode.Forbidden, (await carol.GetAsync("/api/v1/namespaces/subres/pods/p/status")).StatusCode);
        Assert.NotEqual(HttpStatusCode.Forbidden, (await carol.GetAsync("/api/v1/namespaces/subres/services/s/status")).StatusCode);
        var pod = await RbacServerFixture.StatusOf(await carol.GetAsync("/api/v1/namespaces/subres/pods/p"), HttpStatusCode.Forbidden);
        Assert.Contains("cannot get resource \"pods\"", (string?)pod["message"]);
        var log = await RbacServerFixture.StatusOf(await carol.GetAsync("/api/v1/namespaces/subres/pods/p/log"), HttpStatusCode.Forbidden);
        Assert.Contains("cannot get resource \"pods/log\"", (string?)log["message"]);
    }

    [Fact]
    public async Task AggregationRule_ALabeledClusterRole_ExtendsViewEditAndAdmin()
    {
        var k = fx.Kubectl;
        using var agg = fx.As("agg");
        await k.OkAsync("create rolebinding agg-view -n team --clusterrole=view --user=agg");
        await RbacServerFixture.StatusOf(await agg.GetAsync("/apis/coordination.k8s.io/v1/namespaces/team/leases"), HttpStatusCode.Forbidden);

        await k.OkAsync("apply -f -", """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata:
              name: lease-viewer
              labels:
                rbac.authorization.k8s.io/aggregate-to-view: "true"
            rules:
            - apiGroups: ["coordination.k8s.io"]
              resources: ["leases"]
              verbs: ["get", "list", "watch"]
            """);
        foreach (var role in new[] { "view", "edit", "admin" })
        {
            var found = false;
            for (var i = 0; i < 50 && !found; i++)
            {
                var rules = JsonNode.Parse(await k.OkAsync($"get clusterrole {role} -o json"))!["rules"]!.AsArray();
                found = rules.Any(r => r!["resources"]!.AsArray().Any(x => (string?)x == "leases") &&
                    r["verbs"]!.AsArray().Any(x => (string?)x == "watch"));
                if (!found) await Task.Delay(100);
            }
            Assert.True(found, $"{role} did not aggregate the lease-viewer rules");
        }
        Assert.Equal(HttpStatusCode.OK, (await agg.GetAsync("/apis/coordination.k8s.io/v1/namespaces/team/leases")).StatusCode);

        // Removing the label takes the rules away again.
        await k.OkAsync("label clusterrole lease-viewer rbac.authorization.k8s.io/aggregate-to-view-");
        var gone = false;
        for (var i = 0; i < 50 && !gone; i++)
        {
            gone = (await agg.GetAsync("/apis/coordination.k8s.io/v1/namespaces/team/leases")).StatusCode == HttpStatusCode.Forbidden;
            if (!gone) await Task.Delay(100);
        }
        Assert.True(gone, "view kept the rules of a role that no longer carries the label");
    }

    [Fact]
    public async Task ServiceAccountSubjects_MatchTheServiceAccountUser_AndTheServiceAccountGroups()
    {
        var k = fx.Kubectl;
        await k.OkAsync("create rolebinding robot-view -n team --clusterrole=view --serviceaccount=team:robot");
        await k.OkAsync("create rolebinding all-sa-in-other -n other --clusterrole=view --group=system:serviceaccounts:other");
        Assert.Equal("yes", (await k.OkAsync("auth can-i list pods -n team --as system:serviceaccount:team:robot")).Trim());
        Assert.Equal("no", (await k.RunAsync("auth can-i list pods -n team --as system:serviceaccount:other:robot")).StdOut.Trim());
        Assert.Equal("yes", (await k.OkAsync("auth can-i list pods -n other --as system:serviceaccount:other:anyone")).Trim());
        Assert.Equal("no", (await k.RunAsync("auth can-i list pods -n other --as system:serviceaccount:team:robot")).StdOut.Trim());
    }
}
