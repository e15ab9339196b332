using System.Text.Json.Nodes;
using K8sHost.Resources.Common;

namespace K8sHost.Resources.Nodes;

/// <summary>
/// What a Node reads back with in kube-apiserver: SetDefaults_NodeStatus (allocatable from capacity), the
/// podCIDR/podCIDRs pairing of the v1 conversion, and the structs Go always serializes — `spec: {}`, `status: {}`,
/// `status.daemonEndpoints.kubeletEndpoint.Port: 0` and a `status.nodeInfo` whose string fields are all present.
/// </summary>
internal static class NodeDefaults
{
    /// <summary>NodeSystemInfo's fields without omitempty (swap is a pointer and stays absent).</summary>
    private static readonly string[] NodeInfoFields =
    [
        "machineID", "systemUUID", "bootID", "kernelVersion", "osImage", "containerRuntimeVersion",
        "kubeletVersion", "kubeProxyVersion", "operatingSystem", "architecture",
    ];

    public static void Apply(JsonObject node)
    {
        var spec = J.Ensure(node, "spec");
        // The internal Node keeps only podCIDRs: a lone podCIDR becomes the list, and podCIDR reads back as its head.
        var cidrs = J.Strs(spec, "podCIDRs");
        if (cidrs.Count == 0 && J.Str(spec, "podCIDR") is { Length: > 0 } single) spec["podCIDRs"] = new JsonArray(single);
        else if (cidrs.Count > 0) spec["podCIDR"] = cidrs[0];

        var status = J.Ensure(node, "status");
        if (status["allocatable"] is null && status["capacity"] is JsonObject capacity) status["allocatable"] = capacity.DeepClone();
        J.Default(J.Ensure(J.Ensure(status, "daemonEndpoints"), "kubeletEndpoint"), "Port", 0);
        var info = J.Ensure(status, "nodeInfo");
        foreach (var f in NodeInfoFields) J.Default(info, f, "");
    }
}
