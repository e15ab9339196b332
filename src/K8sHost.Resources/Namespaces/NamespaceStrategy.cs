using System.Text.Json.Nodes;
using K8sHost.Registry.Catalog;
using K8sHost.Resources.Common;

namespace K8sHost.Resources.Namespaces;

/// <summary>namespaceStrategy: Active on create, the "kubernetes" finalizer, the immutable name label, Terminating on delete.</summary>
internal sealed class NamespaceStrategy() : SimpleStrategy(Checks.NameRule.Label, Defaults), IDeletionStrategy
{
    public const string NameLabel = "kubernetes.io/metadata.name";

    /// <summary>Namespaces kube-apiserver's NamespaceLifecycle admission never lets anyone delete.</summary>
    public static readonly IReadOnlySet<string> ImmortalNamespaces = new HashSet<string>(StringComparer.Ordinal) { "default", "kube-system", "kube-public" };

    /// <summary>SetDefaults_NamespaceStatus (phase Active) and the `spec: {}` Go always serializes.</summary>
    private static void Defaults(JsonObject ns)
    {
        J.Ensure(ns, "spec");
        J.DefaultStr(J.Ensure(ns, "status"), "phase", "Active");
    }

    public override bool HasStatus => true;

    public override void PrepareForCreate(StrategyContext ctx, JsonObject obj)
    {
        obj["status"] = new JsonObject { ["phase"] = "Active" };
        var spec = J.Ensure(obj, "spec");
        var finalizers = J.Strs(spec, "finalizers");
        if (!finalizers.Contains("kubernetes")) spec["finalizers"] = new JsonArray([.. finalizers.Append("kubernetes").Select(f => (JsonNode)f)]);
        SetNameLabel(obj);
    }

    public override void PrepareForUpdate(StrategyContext ctx, JsonObject obj, JsonObject old)
    {
        base.PrepareForUpdate(ctx, obj, old);
        // spec.finalizers change only through the finalize subresource, as in kube.
        var finalizers = J.At(old, "spec", "finalizers")?.DeepClone();
        var spec = J.Ensure(obj, "spec");
        if (finalizers is null) spec.Remove("finalizers"); else spec["finalizers"] = finalizers;
        SetNameLabel(obj);
    }

    public override IReadOnlyDictionary<string, string> GetFields(JsonObject obj) =>
        new Dictionary<string, string> { ["status.phase"] = J.S(obj, "status", "phase") };

    public override IReadOnlyList<object?> GetCells(JsonObject obj, DateTimeOffset now) =>
        [J.S(obj, "metadata", "name"), J.S(obj, "status", "phase"), Cells.Age(obj, now)];

    /// <summary>
    /// A live namespace becomes Terminating and stays until its content is gone and spec.finalizers is empty
    /// (the namespace controller's job). A Terminating namespace with no spec finalizers left is removed.
    /// </summary>
    public bool BeginDelete(StrategyContext ctx, JsonObject obj)
    {
        var name = J.Str(obj, "metadata", "name");
        if (name is not null && ImmortalNamespaces.Contains(name))
            throw ApiMachinery.Errors.ApiError.Forbidden("namespaces", "", name, "this namespace may not be deleted");
        var terminating = J.Str(obj, "status", "phase") == "Terminating";
        if (terminating && J.Strs(obj, "spec", "finalizers").Count == 0) return false;
        J.Ensure(obj, "status")["phase"] = "Terminating";
        // kube stamps the namespace itself when it starts terminating; the generic path stamps only finalizer-held objects.
        J.DefaultStr(J.Ensure(obj, "metadata"), "deletionTimestamp", ApiMachinery.Time.KubeTime.Format(ctx.Now));
        return true;
    }

    private static void SetNameLabel(JsonObject obj)
    {
        var name = J.Str(obj, "metadata", "name");
        if (string.IsNullOrEmpty(name)) return;
        J.Ensure(J.Ensure(obj, "metadata"), "labels")[NameLabel] = name;
    }
}
