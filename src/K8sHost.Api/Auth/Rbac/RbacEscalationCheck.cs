using System.Text.Json.Nodes;
using K8sHost.Api.Auth.Authorization;
using K8sHost.ApiMachinery.Errors;
using K8sHost.Registry.Catalog;
using K8sHost.Resources.Rbac;

namespace K8sHost.Api.Auth.Rbac;

/// <summary>
/// kube-apiserver's escalation prevention for RBAC writes. A role may grant only rules the requester holds in the
/// role's namespace (cluster-wide for ClusterRoles) unless it may `escalate` the role; a binding may reference only a
/// role whose rules the requester holds unless it may `bind` that role. system:masters (and the server's own
/// bootstrap and controllers, which run as it) may always.
/// </summary>
public sealed class RbacEscalationCheck(RbacAuthorizer rbac, IAuthorizer authorizer) : IRbacEscalationCheck
{
    public void CheckRole(StrategyContext ctx, JsonObject role)
    {
        var user = ctx.Request.User;
        if (user.Groups.Contains(SuperuserAuthorizer.MastersGroup)) return;
        var d = ctx.Descriptor;
        var ns = d.Namespaced ? Str(role["metadata"]?["namespace"]) : "";
        var name = Str(role["metadata"]?["name"]);
        if (Allowed(ctx, "escalate", d.Plural, ns, name)) return;
        Confirm(ctx, ns, d.Plural, name, PolicyRule.ListFrom(role));
    }

    public void CheckBinding(StrategyContext ctx, JsonObject binding)
    {
        var user = ctx.Request.User;
        if (user.Groups.Contains(SuperuserAuthorizer.MastersGroup)) return;
        var d = ctx.Descriptor;
        var ns = d.Namespaced ? Str(binding["metadata"]?["namespace"]) : "";
        var name = Str(binding["metadata"]?["name"]);
        var kind = Str(binding["roleRef"]?["kind"]);
        var roleName = Str(binding["roleRef"]?["name"]);
        var roleResource = kind == "Role" ? "roles" : "clusterroles";
        if (Allowed(ctx, "bind", roleResource, ns, roleName)) return;
        var snapshot = rbac.RoleRulesOf(ctx.Request.Tenant, kind, roleName, ns)
            ?? throw ApiError.BadRequest($"{kind.ToLowerInvariant()}.{RbacNames.Group} \"{roleName}\" not found");
        Confirm(ctx, ns, d.Plural, name, snapshot);
    }

    private bool Allowed(StrategyContext ctx, string verb, string resource, string ns, string name) =>
        authorizer.Authorize(new AuthorizationAttributes(ctx.Request.User, verb, IsResourceRequest: true, ns, RbacNames.Group, "*", resource,
            Name: name)
        { Tenant = ctx.Request.Tenant }).Allowed;

    private void Confirm(StrategyContext ctx, string ns, string plural, string name, IReadOnlyList<PolicyRule> wanted)
    {
        var user = ctx.Request.User;
        var (held, errors) = rbac.HeldRules(user, ns, ctx.Request.Tenant);
        var missing = RuleCoverage.Missing(held, wanted);
        if (missing.Count == 0) return;
        var message = $"user \"{user.Name}\" (groups={PolicyRule.GoQuoted(user.Groups)}) is attempting to grant RBAC permissions not currently held:\n" +
            string.Join("\n", RuleCoverage.Describe(missing));
        if (errors.Count > 0) message += $"; resolution errors: [{string.Join(" ", errors)}]";
        throw ApiError.Forbidden(plural, RbacNames.Group, name, message);
    }

    private static string Str(JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
}
