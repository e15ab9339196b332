using System.Text.Json.Nodes;
using System.Threading.Channels;
using K8sHost.ApiMachinery.Errors;
using K8sHost.Registry.Cache;
using K8sHost.Registry.Catalog;
using K8sHost.Registry.Contracts;
using K8sHost.Resources.Rbac;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace K8sHost.Api.Auth.Rbac;

/// <summary>
/// kube-controller-manager's clusterrole-aggregation controller: a ClusterRole with an aggregationRule gets as its
/// rules the union of the rules of every other ClusterRole its selectors match, in name order without duplicates.
/// Woken per tenant by any ClusterRole change, so labeling a new role aggregate-to-view extends view (and, through
/// view's own labels, edit and admin).
/// </summary>
public sealed class ClusterRoleAggregationController(WatchCache cache, IResourceRegistry registry, ResourceCatalog catalog,
    RbacPolicySource policy, ILogger<ClusterRoleAggregationController> logger) : BackgroundService
{
    private readonly Channel<Tenant> _queue = Channel.CreateUnbounded<Tenant>();
    private readonly ResourceDescriptor? _clusterRoles = catalog.Find(RbacNames.Group, "v1", "clusterroles");

    public void Enqueue(Tenant tenant) => _queue.Writer.TryWrite(tenant);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_clusterRoles is null) return;
        policy.ClusterRolesChanged += Enqueue;
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                var due = new HashSet<Tenant>();
                while (_queue.Reader.TryRead(out var t)) due.Add(t);
                foreach (var tenant in due)
                {
                    try { await ReconcileAsync(tenant, stoppingToken); }
                    catch (ApiError e)
                    {
                        logger.LogDebug("clusterrole aggregation in {Tenant}: {Error}", tenant, e.Message);
                        Enqueue(tenant);
                        await Task.Delay(TimeSpan.FromMilliseconds(200), stoppingToken);
                    }
                }
            }
        }
        catch (OperationCanceledException) { }
        finally { policy.ClusterRolesChanged -= Enqueue; }
    }

    /// <summary>One pass over a tenant's aggregated roles; each write wakes the next pass, until nothing changes.</summary>
    internal async Task ReconcileAsync(Tenant tenant, CancellationToken ct)
    {
        var roles = cache.Snapshot(StorageKeys.ResourcePrefix(tenant, _clusterRoles!)).Select(ov => (ov, obj: ov.ToJsonObject())).ToList();
        foreach (var (ov, role) in roles)
        {
            if (role["aggregationRule"]?["clusterRoleSelectors"] is not JsonArray selectors) continue;
            var rules = new List<PolicyRule>();
            foreach (var (other, otherObj) in roles.OrderBy(r => r.ov.Name, StringComparer.Ordinal))
            {
                if (other.Name == ov.Name || !selectors.OfType<JsonObject>().Any(s => LabelSelectors.Matches(s, other.Labels))) continue;
                foreach (var r in PolicyRule.ListFrom(otherObj))
                    if (!rules.Any(x => x.SameAs(r))) rules.Add(r);
            }
            var current = PolicyRule.ListFrom(role);
            if (current.Count == rules.Count && current.Zip(rules).All(p => p.First.SameAs(p.Second))) continue;
            role["rules"] = new JsonArray([.. rules.Select(r => (JsonNode)r.ToJson())]);
            await registry.UpdateAsync(RequestContext.System with { Tenant = tenant }, _clusterRoles!, null, ov.Name, null, role,
                new WriteOptions { FieldManager = "clusterrole-aggregation-controller" }, ct);
        }
    }
}

/// <summary>metav1.LabelSelector matching (matchLabels and matchExpressions) against an object's labels.</summary>
public static class LabelSelectors
{
    public static bool Matches(JsonObject selector, IReadOnlyDictionary<string, string> labels)
    {
        if (selector["matchLabels"] is JsonObject ml)
            foreach (var (k, v) in ml)
                if (!labels.TryGetValue(k, out var have) || have != v?.ToString()) return false;
        if (selector["matchExpressions"] is JsonArray exprs)
            foreach (var e in exprs.OfType<JsonObject>())
            {
                var key = e["key"]?.ToString() ?? "";
                var values = e["values"] is JsonArray a ? a.Select(x => x?.ToString()).ToList() : [];
                var has = labels.TryGetValue(key, out var value);
                var ok = e["operator"]?.ToString() switch
                {
                    "In" => has && values.Contains(value),
                    "NotIn" => !has || !values.Contains(value),
                    "Exists" => has,
                    "DoesNotExist" => !has,
                    _ => false,
                };
                if (!ok) return false;
            }
        return true;
    }
}
