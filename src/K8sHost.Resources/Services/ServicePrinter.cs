using System.Text.Json.Nodes;
using K8sHost.Resources.Common;

namespace K8sHost.Resources.Services;

/// <summary>printService: Type, Cluster-IP, External-IP (per type), Port(s) and the wide Selector.</summary>
internal static class ServicePrinter
{
    public static IReadOnlyList<object?> Cells(JsonObject svc, DateTimeOffset now)
    {
        var spec = J.Obj(svc, "spec");
        var clusterIps = J.Strs(spec, "clusterIPs");
        var internalIp = clusterIps.Count > 0 ? clusterIps[0] : Common.Cells.None;
        var ports = PortString(J.Objs(spec, "ports"));
        return
        [
            J.S(svc, "metadata", "name"), J.S(spec, "type"), internalIp, ExternalIp(svc), ports.Length == 0 ? Common.Cells.None : ports,
            Common.Cells.Age(svc, now), Common.Cells.Labels(J.Obj(spec, "selector")),
        ];
    }

    /// <summary>makePortString: "80/TCP", or "80:30080/TCP" when a node port is allocated.</summary>
    public static string PortString(IReadOnlyList<JsonObject> ports) =>
        string.Join(",", ports.Select(p =>
        {
            var port = J.Long(p, "port") ?? 0;
            var proto = J.S(p, "protocol");
            return J.Long(p, "nodePort") is { } np and > 0 ? $"{port}:{np}/{proto}" : $"{port}/{proto}";
        }));

    private static string ExternalIp(JsonObject svc)
    {
        var external = J.Strs(svc, "spec", "externalIPs");
        switch (J.S(svc, "spec", "type"))
        {
            case "ClusterIP" or "NodePort":
                return external.Count > 0 ? string.Join(",", external) : Common.Cells.None;
            case "LoadBalancer":
                // The server always prints wide, so load balancer addresses are never truncated.
                var lb = J.Objs(svc, "status", "loadBalancer", "ingress")
                    .Select(i => J.Str(i, "ip") is { Length: > 0 } ip ? ip : J.S(i, "hostname")).Where(s => s.Length > 0).ToList();
                var all = lb.Concat(external).ToList();
                return all.Count > 0 ? string.Join(",", all) : "<pending>";
            case "ExternalName":
                return J.S(svc, "spec", "externalName");
            default:
                return "<unknown>";
        }
    }
}
