using System.Text.Json.Nodes;
using K8sHost.Resources.Common;

namespace K8sHost.Resources.Services;

/// <summary>SetDefaults_Service plus the clusterIP/clusterIPs and IP-family normalisation the service REST does.</summary>
internal static class ServiceDefaults
{
    public static void Apply(JsonObject svc, ServiceNetworkOptions options)
    {
        var spec = J.Ensure(svc, "spec");
        J.DefaultStr(spec, "type", "ClusterIP");
        var type = J.S(spec, "type");
        J.DefaultStr(spec, "sessionAffinity", "None");
        // None carries no config; ClientIP without a timeout gets the three-hour default.
        if (J.Str(spec, "sessionAffinity") == "None") spec.Remove("sessionAffinityConfig");
        else if (J.Str(spec, "sessionAffinity") == "ClientIP" && J.Long(spec, "sessionAffinityConfig", "clientIP", "timeoutSeconds") is null)
            spec["sessionAffinityConfig"] = new JsonObject { ["clientIP"] = new JsonObject { ["timeoutSeconds"] = 10800 } };
        foreach (var p in J.Objs(spec, "ports"))
        {
            J.DefaultStr(p, "protocol", "TCP");
            // targetPort defaults to port (0 and "" count as unset, as in Go).
            if (p["targetPort"] is null || J.Long(p, "targetPort") == 0 || J.Str(p, "targetPort") == "")
                if (p["port"]?.DeepClone() is { } port) p["targetPort"] = port;
        }
        if (type != "ExternalName") J.DefaultStr(spec, "internalTrafficPolicy", "Cluster");
        // Externally accessible: a node port or load balancer, or a cluster IP service with external IPs.
        if (type is "NodePort" or "LoadBalancer" || (type == "ClusterIP" && J.Strs(spec, "externalIPs").Count > 0))
            J.DefaultStr(spec, "externalTrafficPolicy", "Cluster");
        if (type == "ExternalName") return;
        if (type == "LoadBalancer") J.Default(spec, "allocateLoadBalancerNodePorts", true);

        // clusterIP and clusterIPs describe the same value; whichever the client sent fills the other.
        var ip = J.Str(spec, "clusterIP");
        var ips = J.Strs(spec, "clusterIPs");
        if (string.IsNullOrEmpty(ip) && ips.Count > 0) spec["clusterIP"] = ips[0];
        else if (!string.IsNullOrEmpty(ip) && ips.Count == 0) spec["clusterIPs"] = new JsonArray(ip);

        // A headless service without a selector may front endpoints of either family: it asks for dual stack and
        // gets what the cluster has.
        var selectorless = J.Str(spec, "clusterIP") == "None" && J.Obj(spec, "selector") is null or { Count: 0 };
        J.DefaultStr(spec, "ipFamilyPolicy", selectorless && J.Strs(spec, "ipFamilies").Count != 1 ? "RequireDualStack" : "SingleStack");
        if (J.Strs(spec, "ipFamilies").Count == 0)
        {
            var family = System.Net.IPAddress.TryParse(J.Str(spec, "clusterIP"), out var a)
                ? a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4"
                : options.IpRange.FamilyName;
            spec["ipFamilies"] = new JsonArray(family);
        }
    }

    /// <summary>The status half of SetDefaults_Service: a load balancer ingress with an IP is a VIP unless it says otherwise.</summary>
    public static void Status(JsonObject svc)
    {
        var status = J.Ensure(svc, "status");
        var lb = J.Ensure(status, "loadBalancer");
        if (J.Str(svc, "spec", "type") != "LoadBalancer") return;
        foreach (var ingress in J.Objs(lb, "ingress"))
            if (J.Str(ingress, "ip") is { Length: > 0 }) J.Default(ingress, "ipMode", "VIP");
    }

    public static bool NeedsNodePorts(JsonObject? svc) => J.Str(svc, "spec", "type") switch
    {
        "NodePort" => true,
        "LoadBalancer" => J.At(svc, "spec", "allocateLoadBalancerNodePorts") is not JsonValue v || J.Bool(v),
        _ => false,
    };

    public static bool NeedsClusterIp(JsonObject? svc) =>
        J.Str(svc, "spec", "type") != "ExternalName" && J.Str(svc, "spec", "clusterIP") != "None";

    /// <summary>
    /// dropTypeDependentFields: when an update switches the type away from one that needed a value the server filled
    /// in (cluster IP, node ports, externalTrafficPolicy) and the client left that value as it was, the value is
    /// dropped, so `kubectl patch svc x -p '{"spec":{"type":"ClusterIP"}}'` works as it does against kube-apiserver.
    /// </summary>
    public static void DropTypeDependentFields(JsonObject svc, JsonObject old)
    {
        var spec = J.Ensure(svc, "spec");
        var oldSpec = J.Obj(old, "spec");
        static bool HasIp(JsonObject? s) => J.Str(s, "spec", "type") != "ExternalName";
        static bool Same(JsonNode? a, JsonNode? b) => JsonNode.DeepEquals(a, b);
        if (HasIp(old) && !HasIp(svc))
        {
            if (Same(spec["clusterIP"], oldSpec?["clusterIP"]) && Same(spec["clusterIPs"], oldSpec?["clusterIPs"]))
            {
                spec.Remove("clusterIP");
                spec.Remove("clusterIPs");
            }
            if (Same(spec["ipFamilies"], oldSpec?["ipFamilies"])) spec.Remove("ipFamilies");
            if (Same(spec["ipFamilyPolicy"], oldSpec?["ipFamilyPolicy"])) spec.Remove("ipFamilyPolicy");
            if (Same(spec["internalTrafficPolicy"], oldSpec?["internalTrafficPolicy"])) spec.Remove("internalTrafficPolicy");
        }
        var ports = J.Objs(spec, "ports");
        var sameNodePorts = ports.Select(p => J.Long(p, "nodePort") ?? 0).SequenceEqual(J.Objs(oldSpec, "ports").Select(p => J.Long(p, "nodePort") ?? 0));
        if (NeedsNodePorts(old) && !NeedsNodePorts(svc) && sameNodePorts)
            foreach (var p in ports) p.Remove("nodePort");
        if (J.Str(oldSpec, "type") == "LoadBalancer" && J.Str(spec, "type") != "LoadBalancer" &&
            Same(spec["allocateLoadBalancerNodePorts"], oldSpec?["allocateLoadBalancerNodePorts"]))
            spec.Remove("allocateLoadBalancerNodePorts");
        static bool External(JsonObject? s) => J.Str(s, "spec", "type") is "NodePort" or "LoadBalancer";
        if (External(old) && !External(svc) && Same(spec["externalTrafficPolicy"], oldSpec?["externalTrafficPolicy"]))
            spec.Remove("externalTrafficPolicy");
    }

    /// <summary>
    /// patchAllocatedValues: a PUT that omits the cluster IP or node ports keeps the ones already allocated, so
    /// `kubectl replace` of the original manifest is not an attempt to change them.
    /// </summary>
    public static void KeepAllocated(JsonObject svc, JsonObject old)
    {
        var spec = J.Ensure(svc, "spec");
        if (NeedsClusterIp(svc) && NeedsClusterIp(old) && string.IsNullOrEmpty(J.Str(spec, "clusterIP")) && J.Strs(spec, "clusterIPs").Count == 0)
        {
            if (J.At(old, "spec", "clusterIP")?.DeepClone() is { } ip) spec["clusterIP"] = ip;
            if (J.At(old, "spec", "clusterIPs")?.DeepClone() is { } ips) spec["clusterIPs"] = ips;
            if (J.Strs(spec, "ipFamilies").Count == 0 && J.At(old, "spec", "ipFamilies")?.DeepClone() is { } fam) spec["ipFamilies"] = fam;
        }
        if (!NeedsNodePorts(svc) || !NeedsNodePorts(old)) return;
        var oldPorts = J.Objs(old, "spec", "ports");
        foreach (var p in J.Objs(spec, "ports"))
        {
            if ((J.Long(p, "nodePort") ?? 0) != 0) continue;
            var match = oldPorts.FirstOrDefault(o => J.Long(o, "port") == J.Long(p, "port") &&
                (J.Str(o, "protocol") ?? "TCP") == (J.Str(p, "protocol") ?? "TCP"));
            if (match is not null && J.Long(match, "nodePort") is { } np and not 0) p["nodePort"] = np;
        }
    }
}
