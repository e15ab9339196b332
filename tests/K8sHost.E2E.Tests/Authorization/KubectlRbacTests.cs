using System.Net;
using System.Text.Json.Nodes;
using Xunit;

namespace K8sHost.E2E.Tests.Authorization;

/// <summary>kubectl's RBAC commands (create role/clusterrole/rolebinding/clusterrolebinding, auth reconcile) and --as.</summary>
[Collection("rbac")]
public sealed class KubectlRbacTests(RbacServerFixture fx)
{
    [Fact]
    public async Task KubectlCreate_RolesAndBindings_AreStoredAndPrintedAsUpstream()
    {
        var k = fx.Kubectl;
        await k.OkAsync("create ns kc");
        Assert.Contains("role.rbac.authorization.k8s.io/pod-reader created",
            await k.OkAsync("create role pod-reader -n kc --verb=get,list,watch --resource=pods,pods/log"));
        Assert.Contains("clusterrole.rbac.authorization.k8s.io/node-reader created",
            await k.OkAsync("create clusterrole node-reader --verb=get,list --resource=nodes"));
        Assert.Contains("rolebinding.rbac.authorization.k8s.io/read-pods created",
            await k.OkAsync("create rolebinding read-pods -n kc --role=pod-reader --user=alice --group=qa --serviceaccount=kc:robot"));
        Assert.Contains("clusterrolebinding.rbac.authorization.k8s.io/read-nodes created",
            await k.OkAsync("create clusterrolebinding read-nodes --clusterrole=node-reader --user=alice"));

        var role = JsonNode.Parse(await k.OkAsync("get role pod-reader -n kc -o json"))!;
        Assert.Equal("""[{"apiGroups":[""],"resources":["pods","pods/log"],"verbs":["get","list","watch"]}]""", role["rules"]!.ToJsonString());
        var binding = JsonNode.Parse(await k.OkAsync("get rolebinding read-pods -n kc -o json"))!;
        Assert.Equal("rbac.authorization.k8s.io", (string?)binding["roleRef"]!["apiGroup"]);

        Assert.Matches(@"(?m)^NAME\s+CREATED AT\s*$", await k.OkAsync("get roles -n kc"));
        Assert.Matches(@"(?m)^pod-reader\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\s*$", await k.OkAsync("get roles -n kc"));
        var wide = await k.OkAsync("get rolebindings -n kc -o wide");
        Assert.Matches(@"(?m)^NAME\s+ROLE\s+AGE\s+USERS\s+GROUPS\s+SERVICEACCOUNTS\s*$", wide);
        Assert.Matches(@"(?m)^read-pods\s+Role/pod-reader\s+\S+\s+alice\s+qa\s+kc/robot\s*$", wide);
        Assert.Matches(@"(?m)^NAME\s+ROLE\s+AGE\s*$", await k.OkAsync("get rolebindings -n kc"));

        // The bindings take effect at once for the bound user.
        using var alice = fx.As("alice");
        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync("/api/v1/nodes")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync("/api/v1/namespaces/kc/pods")).StatusCode);

        // roleRef cannot change.
        var change = await k.RunAsync("patch rolebinding read-pods -n kc --type=merge -p '{\"roleRef\":{\"kind\":\"ClusterRole\",\"name\":\"view\",\"apiGroup\":\"rbac.authorization.k8s.io\"}}'");
        Assert.NotEqual(0, change.ExitCode);
        Assert.Contains("cannot change roleRef", change.StdErr);
    }

    [Fact]
    public async Task InvalidRbacObjects_AreRejectedWithUpstreamFieldErrors()
    {
        var r = await fx.Kubectl.RunAsync("apply -f -", """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: bad, namespace: team}
            rules:
            - nonResourceURLs: ["/healthz"]
              verbs: ["get"]
            - apiGroups: [""]
              resources: []
              verbs: []
            """);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("rules[0].nonResourceURLs: Invalid value", r.StdErr);
        Assert.Contains("namespaced rules cannot apply to non-resource URLs", r.StdErr);
        Assert.Contains("rules[1].verbs: Required value: verbs must contain at least one value", r.StdErr);
        Assert.Contains("rules[1].resources: Required value: resource rules must supply at least one resource", r.StdErr);

        var binding = await fx.Kubectl.RunAsync("apply -f -", """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: bad-binding}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: x}
            subjects:
            - {kind: ServiceAccount, name: robot}
            - {kind: Robot, name: r2}
            """);
        Assert.NotEqual(0, binding.ExitCode);
        Assert.Contains("roleRef.kind: Unsupported value: \"Role\": supported values: \"ClusterRole\"", binding.StdErr);
        Assert.Contains("subjects[0].namespace: Required value", binding.StdErr);
        Assert.Contains("subjects[1].kind: Unsupported value: \"Robot\"", binding.StdErr);
    }

    [Fact]
    public async Task KubectlAuthReconcile_CreatesThenAddsMissingRules_AndBindings()
    {
        var k = fx.Kubectl;
        await k.OkAsync("create ns recon");
        var manifest = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: deployer, namespace: recon}
            rules:
            - apiGroups: [""]
              resources: ["configmaps"]
              verbs: ["get", "create"]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: deployer, namespace: recon}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: deployer}
            subjects:
            - {apiGroup: rbac.authorization.k8s.io, kind: User, name: carol}
            """;
        var first = await k.OkAsync("auth reconcile -f -", manifest);
        Assert.Contains("role.rbac.authorization.k8s.io/deployer reconciled", first);
        Assert.Contains("rolebinding.rbac.authorization.k8s.io/deployer reconciled", first);
        Assert.Equal("yes", (await k.OkAsync("auth can-i create configmaps -n recon --as carol")).Trim());
        Assert.Equal("no", (await k.RunAsync("auth can-i delete configmaps -n recon --as carol")).StdOut.Trim());

        await k.OkAsync("auth reconcile -f -", manifest.Replace("verbs: [\"get\", \"create\"]", "verbs: [\"delete\"]"));
        Assert.Equal("yes", (await k.OkAsync("auth can-i delete configmaps -n recon --as carol")).Trim());
        // Reconcile adds, it does not remove (without --remove-extra-permissions).
        Assert.Equal("yes", (await k.OkAsync("auth can-i create configmaps -n recon --as carol")).Trim());
    }

    [Fact]
    public async Task Impersonation_NeedsTheImpersonateVerb_ThenActsAsTheImpersonatedUser()
    {
        var denied = await fx.KubectlAs("alice", "get --raw /api/v1/namespaces/team/pods --as viewer");
        Assert.NotEqual(0, denied.ExitCode);
        Assert.Contains("users \"viewer\" is forbidden: User \"alice\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope",
            denied.StdErr);

        await fx.Kubectl.OkAsync("create clusterrole impersonate-viewer --verb=impersonate --resource=users --resource-name=viewer");
        await fx.Kubectl.OkAsync("create clusterrolebinding bob-impersonate-viewer --clusterrole=impersonate-viewer --user=bob");
        var asViewer = await fx.KubectlAs("bob", "get pods -n team --as viewer");
        Assert.Equal(0, asViewer.ExitCode);
        var whoami = await fx.KubectlAs("bob", "auth whoami --as viewer -o json");
        Assert.Equal("viewer", (string?)JsonNode.Parse(whoami.StdOut)!["status"]!["userInfo"]!["username"]);
        // Groups need their own grant.
        var group = await fx.KubectlAs("bob", "get --raw /api/v1/namespaces/team/pods --as viewer --as-group system:masters");
        Assert.NotEqual(0, group.ExitCode);
        Assert.Contains("groups \"system:masters\" is forbidden: User \"bob\" cannot impersonate resource \"groups\"", group.StdErr);
        // The admin (system:masters) may impersonate anyone; the impersonated user's rights apply.
        var adminAsAlice = await fx.Kubectl.RunAsync("get secrets -n team --as alice");
        Assert.Contains("secrets is forbidden: User \"alice\" cannot list resource \"secrets\"", adminAsAlice.StdErr);
        // Impersonated groups count for RBAC like real ones.
        await fx.Kubectl.OkAsync("create rolebinding viewers-view -n team --clusterrole=view --group=viewers");
        Assert.Equal("no", (await fx.Kubectl.RunAsync("auth can-i list pods -n team --as nobody")).StdOut.Trim());
        Assert.Equal("yes", (await fx.Kubectl.OkAsync("auth can-i list pods -n team --as nobody --as-group viewers")).Trim());
    }
}
