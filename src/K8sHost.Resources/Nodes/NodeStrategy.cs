using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;
using K8sHost.Registry.Catalog;
using K8sHost.Resources.Common;

namespace K8sHost.Resources.Nodes;

/// <summary>nodeStrategy: unlike most kinds a node may be created with its status (the kubelet registers that way).</summary>
internal sealed class NodeStrategy() : SimpleStrategy(Checks.NameRule.Subdomain, NodeDefaults.Apply)
{
    public override bool HasStatus => true;

    public override void PrepareForCreate(StrategyContext ctx, JsonObject obj) { }

    protected override IEnumerable<FieldError> ValidateKind(JsonObject obj) => NodeValidation.Validate(obj);

    public override IEnumerable<FieldError> ValidateUpdate(StrategyContext ctx, JsonObject obj, JsonObject old) =>
        Checks.Name(obj, Checks.NameRule.Subdomain).Concat(NodeValidation.ValidateUpdate(obj, old)).ToList();

    public override IReadOnlyDictionary<string, string> GetFields(JsonObject obj) => new Dictionary<string, string>
    {
        ["spec.unschedulable"] = J.Bool(obj, "spec", "unschedulable") ? "true" : "false",
    };

    public override IReadOnlyList<object?> GetCells(JsonObject obj, DateTimeOffset now)
    {
        var info = J.Obj(obj, "status", "nodeInfo");
        return
        [
            J.S(obj, "metadata", "name"), Status(obj), Roles(obj), Cells.Age(obj, now), J.S(info, "kubeletVersion"),
            Address(obj, "InternalIP"), Address(obj, "ExternalIP"), Unknown(J.Str(info, "osImage")),
            Unknown(J.Str(info, "kernelVersion")), Unknown(J.Str(info, "containerRuntimeVersion")),
        ];
    }

    /// <summary>"Ready"/"NotReady" from the Ready condition, "Unknown" without one, ",SchedulingDisabled" when cordoned.</summary>
    public static string Status(JsonObject node)
    {
        var ready = J.Objs(node, "status", "conditions").LastOrDefault(c => J.Str(c, "type") == "Ready");
        var status = ready is null ? "Unknown" : J.Str(ready, "status") == "True" ? "Ready" : "NotReady";
        return J.Bool(node, "spec", "unschedulable") ? status + ",SchedulingDisabled" : status;
    }

    /// <summary>findNodeRoles: node-role.kubernetes.io/&lt;role&gt; keys and the legacy kubernetes.io/role value, sorted.</summary>
    public static string Roles(JsonObject node)
    {
        const string prefix = "node-role.kubernetes.io/";
        var roles = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (k, v) in J.Obj(node, "metadata", "labels") ?? [])
        {
            if (k.StartsWith(prefix, StringComparison.Ordinal) && k.Length > prefix.Length) roles.Add(k[prefix.Length..]);
            else if (k == "kubernetes.io/role" && J.Str(v) is { Length: > 0 } role) roles.Add(role);
        }
        return roles.Count == 0 ? Cells.None : string.Join(",", roles);
    }

    private static string Address(JsonObject node, string type) =>
        J.Objs(node, "status", "addresses").Where(a => J.Str(a, "type") == type).Select(a => J.S(a, "address")).FirstOrDefault() ?? Cells.None;

    private static string Unknown(string? s) => string.IsNullOrEmpty(s) ? "<unknown>" : s;
}
