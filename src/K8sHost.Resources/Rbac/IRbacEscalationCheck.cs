using System.Text.Json.Nodes;
using K8sHost.Registry.Catalog;

namespace K8sHost.Resources.Rbac;

/// <summary>
/// Escalation prevention, as kube-apiserver's RBAC storage does it: a requester may only write a role granting what
/// it holds itself, or a binding to such a role, unless it has `escalate` (roles) or `bind` (bindings) on it.
/// The authorizer that knows what a requester holds implements this; the RBAC strategies call it before validation,
/// so a refused write is a 403 that changes nothing. Without a registered check (unit tests) nothing is refused.
/// </summary>
public interface IRbacEscalationCheck
{
    /// <summary>Throws ApiError 403 when the requester would gain what it does not hold.</summary>
    void CheckRole(StrategyContext ctx, JsonObject role);

    /// <summary>Throws ApiError 403 when the requester may neither bind the referenced role nor holds its rules.</summary>
    void CheckBinding(StrategyContext ctx, JsonObject binding);
}
