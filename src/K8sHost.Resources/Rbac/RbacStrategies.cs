using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;
using K8sHost.Registry.Catalog;
using K8sHost.Resources.Common;

namespace K8sHost.Resources.Rbac;

/// <summary>Role and ClusterRole: rules validated as rbac validation does; writes pass the escalation check first.</summary>
internal sealed class RoleStrategy(bool namespaced) : SimpleStrategy(Checks.NameRule.PathSegment)
{
    public override void PrepareForCreate(StrategyContext ctx, JsonObject obj) => Escalation(ctx)?.CheckRole(ctx, obj);

    public override void PrepareForUpdate(StrategyContext ctx, JsonObject obj, JsonObject old) => Escalation(ctx)?.CheckRole(ctx, obj);

    protected override IEnumerable<FieldError> ValidateKind(JsonObject obj)
    {
        foreach (var e in PolicyRuleChecks.Rules(obj, namespaced)) yield return e;
        if (!namespaced && obj["aggregationRule"] is JsonObject agg && J.Objs(agg, "clusterRoleSelectors").Count == 0)
            yield return FieldError.Required("aggregationRule.clusterRoleSelectors", "at least one clusterRoleSelector required if aggregationRule is non-nil");
    }

    public override IReadOnlyList<object?> GetCells(JsonObject obj, DateTimeOffset now) =>
        [J.S(obj, "metadata", "name"), J.S(obj, "metadata", "creationTimestamp")];

    internal static IRbacEscalationCheck? Escalation(StrategyContext ctx) => ctx.Services?.GetService(typeof(IRbacEscalationCheck)) as IRbacEscalationCheck;
}

/// <summary>RoleBinding and ClusterRoleBinding: roleRef is immutable; subjects and roleRef are defaulted and validated.</summary>
internal sealed class BindingStrategy(bool clusterBinding) : SimpleStrategy(Checks.NameRule.PathSegment)
{
    public override void PrepareForCreate(StrategyContext ctx, JsonObject obj)
    {
        PolicyRuleChecks.DefaultBinding(obj);
        RoleStrategy.Escalation(ctx)?.CheckBinding(ctx, obj);
    }

    public override void PrepareForUpdate(StrategyContext ctx, JsonObject obj, JsonObject old)
    {
        PolicyRuleChecks.DefaultBinding(obj);
        RoleStrategy.Escalation(ctx)?.CheckBinding(ctx, obj);
    }

    protected override IEnumerable<FieldError> ValidateKind(JsonObject obj) =>
        PolicyRuleChecks.RoleRef(obj, clusterBinding).Concat(PolicyRuleChecks.Subjects(obj, clusterBinding));

    public override IEnumerable<FieldError> ValidateUpdate(StrategyContext ctx, JsonObject obj, JsonObject old)
    {
        var errors = Validate(ctx, obj).ToList();
        if (!JsonNode.DeepEquals(obj["roleRef"], old["roleRef"]))
            errors.Add(FieldError.Invalid("roleRef", RoleRefText(old), "cannot change roleRef"));
        return errors;
    }

    public override IReadOnlyList<object?> GetCells(JsonObject obj, DateTimeOffset now)
    {
        var subjects = J.Objs(obj, "subjects");
        string Of(string kind, Func<JsonObject, string> show) => string.Join(", ", subjects.Where(s => J.S(s, "kind") == kind).Select(show));
        return
        [
            J.S(obj, "metadata", "name"),
            $"{J.S(obj, "roleRef", "kind")}/{J.S(obj, "roleRef", "name")}",
            Cells.Age(obj, now),
            Of(RbacNames.UserKind, s => J.S(s, "name")),
            Of(RbacNames.GroupKind, s => J.S(s, "name")),
            Of(RbacNames.ServiceAccountKind, s => J.S(s, "namespace") is { Length: > 0 } ns ? $"{ns}/{J.S(s, "name")}" : J.S(s, "name")),
        ];
    }

    private static string RoleRefText(JsonObject obj) =>
        $"rbac.RoleRef{{APIGroup:\"{J.S(obj, "roleRef", "apiGroup")}\", Kind:\"{J.S(obj, "roleRef", "kind")}\", Name:\"{J.S(obj, "roleRef", "name")}\"}}";
}
