using System.Net;
using Xunit;

namespace K8sHost.E2E.Tests.Authorization;

/// <summary>
/// Escalation prevention: a namespace admin may create roles and bindings, but only for rights it holds itself,
/// unless it was given `escalate` (roles) or `bind` (bindings) on them. Refusals are kube-apiserver's 403 and store nothing.
/// </summary>
[Collection("rbac")]
public sealed class EscalationTests(RbacServerFixture fx)
{
    private const string Role = """{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"NAME"},"rules":[RULES]}""";

    private static string RoleBody(string name, string rules) => Role.Replace("NAME", name).Replace("RULES", rules);

    private static string BindingBody(string name, string kind, string role, string user) =>
        $$"""{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"{{name}}"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"{{kind}}","name":"{{role}}"},"subjects":[{"kind":"User","name":"{{user}}"}]}""";

    [Fact]
    public async Task RoleGrantingWhatTheRequesterLacks_IsRefusedWithUpstreamMessage_AndNotStored()
    {
        using var admin = fx.As("nsadmin");
        var r = await admin.PostAsync("/apis/rbac.authorization.k8s.io/v1/namespaces/team/roles",
            RbacServerFixture.Json(RoleBody("node-reader", """{"apiGroups":[""],"resources":["nodes","pods"],"verbs":["get","list"]}""")));
        var status = await RbacServerFixture.StatusOf(r, HttpStatusCode.Forbidden);
        Assert.Equal(
            "roles.rbac.authorization.k8s.io \"node-reader\" is forbidden: user \"nsadmin\" (groups=[\"team-nsadmin\" \"system:authenticated\"]) " +
            "is attempting to grant RBAC permissions not currently held:\n" +
            "{APIGroups:[\"\"], Resources:[\"nodes\"], Verbs:[\"get\" \"list\"]}",
            (string?)status["message"]);
        Assert.Equal("roles", (string?)status["details"]!["kind"]);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/apis/rbac.authorization.k8s.io/v1/namespaces/team/roles/node-reader")).StatusCode);

        // Within its own rights it may.
        var ok = await admin.PostAsync("/apis/rbac.authorization.k8s.io/v1/namespaces/team/roles",
            RbacServerFixture.Json(RoleBody("pod-reader", """{"apiGroups":[""],"resources":["pods"],"verbs":["get","list"]}""")));
        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
    }

    [Fact]
    public async Task BindingToARoleBeyondTheRequestersRights_IsRefused_ViaKubectlToo()
    {
        var r = await fx.KubectlAs("nsadmin", "create rolebinding grab-all -n team --clusterrole=cluster-admin --user=nsadmin");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("rolebindings.rbac.authorization.k8s.io \"grab-all\" is forbidden: user \"nsadmin\"", r.StdErr);
        Assert.Contains("is attempting to grant RBAC permissions not currently held:", r.StdErr);
        Assert.Contains("{APIGroups:[\"*\"], Resources:[\"*\"], Verbs:[\"*\"]}", r.StdErr);

        // Binding a role it holds all rules of is fine.
        var ok = await fx.KubectlAs("nsadmin", "create rolebinding carol-view -n team --clusterrole=view --user=carol");
        Assert.Equal(0, ok.ExitCode);
    }

    [Fact]
    public async Task EscalateVerb_LetsTheRequesterWriteRolesBeyondItsRights()
    {
        var k = fx.Kubectl;
        await k.OkAsync("create ns esc");
        await k.OkAsync("create clusterrole role-writer --verb=create,get,update,escalate --resource=roles");
        await k.OkAsync("create rolebinding escalator-role-writer -n esc --clusterrole=role-writer --user=escalator");
        using var escalator = fx.As("escalator");
        var r = await escalator.PostAsync("/apis/rbac.authorization.k8s.io/v1/namespaces/esc/roles",
            RbacServerFixture.Json(RoleBody("secrets-admin", """{"apiGroups":[""],"resources":["secrets"],"verbs":["*"]}""")));
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        // Without escalate in another namespace it is refused (and without create there, refused earlier).
        Assert.Equal(HttpStatusCode.Forbidden, (await escalator.PostAsync("/apis/rbac.authorization.k8s.io/v1/namespaces/team/roles",
            RbacServerFixture.Json(RoleBody("secrets-admin", """{"apiGroups":[""],"resources":["secrets"],"verbs":["*"]}""")))).StatusCode);
    }

    [Fact]
    public async Task BindVerb_OnANamedRole_LetsTheRequesterBindIt_AndOnlyIt()
    {
        var k = fx.Kubectl;
        await k.OkAsync("create ns bind");
        await k.OkAsync("create clusterrole binding-writer --verb=create,get --resource=rolebindings");
        await k.OkAsync("create rolebinding binder-writer -n bind --clusterrole=binding-writer --user=binder");
        await k.OkAsync("create clusterrole bind-edit --verb=bind --resource=clusterroles --resource-name=edit");
        await k.OkAsync("create rolebinding binder-bind-edit -n bind --clusterrole=bind-edit --user=binder");
        using var binder = fx.As("binder");
        Assert.Equal(HttpStatusCode.Created, (await binder.PostAsync("/apis/rbac.authorization.k8s.io/v1/namespaces/bind/rolebindings",
            RbacServerFixture.Json(BindingBody("carol-edit", "ClusterRole", "edit", "carol")))).StatusCode);
        var admin = await binder.PostAsync("/apis/rbac.authorization.k8s.io/v1/namespaces/bind/rolebindings",
            RbacServerFixture.Json(BindingBody("carol-admin", "ClusterRole", "admin", "carol")));
        var status = await RbacServerFixture.StatusOf(admin, HttpStatusCode.Forbidden);
        Assert.StartsWith("rolebindings.rbac.authorization.k8s.io \"carol-admin\" is forbidden: user \"binder\"", (string?)status["message"]);
        Assert.Equal("yes", (await k.OkAsync("auth can-i create secrets -n bind --as carol")).Trim());
    }
}
