using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;
using K8sHost.Registry.Catalog;
using K8sHost.Registry.Contracts;
using K8sHost.Resources.Rbac;

namespace K8sHost.Api.Auth.Rbac;

/// <summary>
/// Creates the bootstrap policy in a tenant on its first start and reconciles it on every start, as kube-apiserver's
/// RBAC post-start hook does: a missing object is created; an object annotated autoupdate "true" gets back any rule,
/// aggregation selector, subject, label or annotation of the policy it lost (additions made by users are kept); an
/// object whose annotation is "false" is left alone.
/// </summary>
public sealed class RbacBootstrapper(IResourceRegistry registry, ResourceCatalog catalog, ClusterRoleAggregationController aggregation)
{
    public async Task ReconcileAsync(Tenant tenant, CancellationToken ct)
    {
        var roles = catalog.Find(RbacNames.Group, "v1", "clusterroles");
        var bindings = catalog.Find(RbacNames.Group, "v1", "clusterrolebindings");
        if (roles is null || bindings is null) return;
        var rc = RequestContext.System with { Tenant = tenant };
        foreach (var role in BootstrapPolicy.ClusterRoles()) await ReconcileAsync(rc, roles, role, MergeRole, ct);
        foreach (var binding in BootstrapPolicy.ClusterRoleBindings()) await ReconcileAsync(rc, bindings, binding, MergeBinding, ct);
        aggregation.Enqueue(tenant);
    }

    private async Task ReconcileAsync(RequestContext rc, ResourceDescriptor d, JsonObject wanted, Func<JsonObject, JsonObject, bool> merge,
        CancellationToken ct)
    {
        var name = (string)wanted["metadata"]!["name"]!;
        var options = new WriteOptions { FieldManager = "kube-apiserver" };
        for (var attempt = 0; attempt < 3; attempt++)
        {
            ObjectVersion current;
            try
            {
                current = await registry.GetAsync(rc, d, null, name, new GetOptions(), ct);
            }
            catch (ApiError e) when (e.Code == 404)
            {
                try
                {
                    await registry.CreateAsync(rc, d, null, wanted.DeepClone().AsObject(), options, ct);
                    return;
                }
                catch (ApiError c) when (c.Code == 409) { continue; } // created by another replica meanwhile
            }
            var obj = current.ToJsonObject();
            if (obj["metadata"]?["annotations"]?[RbacNames.AutoUpdateAnnotation]?.ToString() == "false") return;
            var changed = MergeMetadata(obj, wanted) | merge(obj, wanted);
            if (!changed) return;
            try
            {
                await registry.UpdateAsync(rc, d, null, name, null, obj, options, ct);
                return;
            }
            catch (ApiError c) when (c.Code == 409) { }
        }
    }

    private static bool MergeMetadata(JsonObject obj, JsonObject wanted)
    {
        var changed = false;
        var meta = (JsonObject)obj["metadata"]!;
        foreach (var field in new[] { "labels", "annotations" })
        {
            if (meta[field] is not JsonObject have) meta[field] = have = new JsonObject();
            foreach (var (k, v) in (JsonObject)wanted["metadata"]![field]!)
                if (have[k]?.ToString() != v!.ToString()) { have[k] = v.ToString(); changed = true; }
        }
        return changed;
    }

    private static bool MergeRole(JsonObject obj, JsonObject wanted)
    {
        var changed = false;
        if (wanted["aggregationRule"] is JsonObject wantedAgg)
        {
            // Aggregated roles' rules belong to the aggregation controller; only the selectors are policy.
            if (obj["aggregationRule"] is not JsonObject agg) obj["aggregationRule"] = agg = new JsonObject();
            if (agg["clusterRoleSelectors"] is not JsonArray selectors) agg["clusterRoleSelectors"] = selectors = [];
            foreach (var s in (JsonArray)wantedAgg["clusterRoleSelectors"]!)
                if (!selectors.Any(x => JsonNode.DeepEquals(x, s))) { selectors.Add(s!.DeepClone()); changed = true; }
            return changed;
        }
        var have = PolicyRule.ListFrom(obj);
        if (obj["rules"] is not JsonArray rules) obj["rules"] = rules = [];
        foreach (var rule in PolicyRule.ListFrom(wanted))
            if (RuleCoverage.Missing(have, [rule]).Count > 0) { rules.Add(rule.ToJson()); changed = true; }
        return changed;
    }

    private static bool MergeBinding(JsonObject obj, JsonObject wanted)
    {
        var changed = false;
        if (obj["subjects"] is not JsonArray subjects) obj["subjects"] = subjects = [];
        foreach (var s in (JsonArray)wanted["subjects"]!)
            if (!subjects.Any(x => x?["kind"]?.ToString() == s!["kind"]!.ToString() && x?["name"]?.ToString() == s["name"]!.ToString()))
            {
                subjects.Add(s!.DeepClone());
                changed = true;
            }
        return changed;
    }
}
