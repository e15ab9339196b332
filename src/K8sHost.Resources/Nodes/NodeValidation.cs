using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;
using K8sHost.ApiMachinery.Validation;
using K8sHost.Resources.Common;

namespace K8sHost.Resources.Nodes;

/// <summary>ValidateNode / ValidateNodeUpdate: taints, pod CIDRs, resource quantities, the fields set once.</summary>
internal static class NodeValidation
{
    /// <summary>
    /// kube-apiserver reports taint errors under metadata.taints, not spec.taints: ValidateNode builds the path from
    /// its metadata path. Clients match on these paths, so they stay as kube sends them.
    /// </summary>
    public const string TaintsPath = "metadata.taints";

    public static IEnumerable<FieldError> Validate(JsonObject node)
    {
        foreach (var e in TaintRules.Taints(TaintsPath, J.Objs(node, "spec", "taints"))) yield return e;
        foreach (var e in Resources(node)) yield return e;
        foreach (var e in PodCidrs(J.Strs(node, "spec", "podCIDRs"))) yield return e;
    }

    public static IEnumerable<FieldError> ValidateUpdate(JsonObject node, JsonObject old)
    {
        foreach (var e in Validate(node)) yield return e;
        var addresses = new HashSet<(string, string)>();
        var list = J.Objs(node, "status", "addresses");
        for (var i = 0; i < list.Count; i++)
            if (!addresses.Add((J.S(list[i], "type"), J.S(list[i], "address"))))
                yield return FieldError.Duplicate($"status.addresses[{i}]",
                    Checks.Struct("core.NodeAddress", ("Type", J.S(list[i], "type")), ("Address", J.S(list[i], "address"))));
        // Set once: the node IPAM controller and the cloud provider may fill them in, nobody may change them after.
        var oldCidrs = J.Strs(old, "spec", "podCIDRs");
        if (oldCidrs.Count > 0 && !oldCidrs.SequenceEqual(J.Strs(node, "spec", "podCIDRs")))
            yield return FieldError.Forbidden("spec.podCIDRs", "node updates may not change podCIDR except from \"\" to valid");
        var oldProvider = J.S(old, "spec", "providerID");
        if (oldProvider.Length > 0 && oldProvider != J.S(node, "spec", "providerID"))
            yield return FieldError.Forbidden("spec.providerID", "node updates may not change providerID except from \"\" to valid");
    }

    /// <summary>Each a CIDR; more than one only as one IPv4 and one IPv6; no repeats.</summary>
    private static IEnumerable<FieldError> PodCidrs(IReadOnlyList<string> cidrs)
    {
        const string path = "spec.podCIDRs";
        for (var i = 0; i < cidrs.Count; i++) foreach (var e in Checks.Cidr($"{path}[{i}]", cidrs[i])) yield return e;
        if (cidrs.Count < 2) yield break;
        var families = cidrs.Select(c => NetworkRules.ParseCidr(c)?.Ip.AddressFamily).ToList();
        var dualStack = cidrs.Count == 2 && families.All(f => f is not null) && families[0] != families[1];
        // kube prints the list with %#v: []string{"a", "b"}.
        if (!dualStack) yield return FieldError.Invalid(path, new GoValue($"[]string{{{string.Join(", ", cidrs.Select(c => $"\"{c}\""))}}}"),
            "may specify no more than one CIDR for each IP family");
        var seen = new HashSet<string>();
        for (var i = 0; i < cidrs.Count; i++)
            if (!seen.Add(cidrs[i])) yield return FieldError.Duplicate($"{path}[{i}]", cidrs[i]);
    }

    /// <summary>ValidateNodeResources: capacity and allocatable are non-negative, and whole numbers where they count things.</summary>
    private static IEnumerable<FieldError> Resources(JsonObject node)
    {
        foreach (var list in new[] { "capacity", "allocatable" })
            foreach (var (name, v) in J.Obj(node, "status", list) ?? [])
                foreach (var e in ResourceQuantities.Value($"status.{list}.{name}", name, J.Str(v) ?? v?.ToJsonString() ?? ""))
                    yield return e;
    }
}
