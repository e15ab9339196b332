using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;
using K8sHost.Registry.Catalog;
using K8sHost.Resources.Common;

namespace K8sHost.Resources.Endpoints;

internal sealed class EndpointsStrategy() : SimpleStrategy(Checks.NameRule.Subdomain, Defaults)
{
    /// <summary>SetDefaults_Endpoints: ports without a protocol are TCP.</summary>
    private static void Defaults(JsonObject obj)
    {
        foreach (var subset in J.Objs(obj, "subsets"))
            foreach (var p in J.Objs(subset, "ports")) J.DefaultStr(p, "protocol", "TCP");
    }

    protected override IEnumerable<FieldError> ValidateKind(JsonObject obj)
    {
        var subsets = J.Objs(obj, "subsets");
        for (var s = 0; s < subsets.Count; s++)
        {
            foreach (var list in new[] { "addresses", "notReadyAddresses" })
            {
                var addrs = J.Objs(subsets[s], list);
                for (var a = 0; a < addrs.Count; a++)
                    foreach (var e in Checks.Ip($"subsets[{s}].{list}[{a}].ip", J.Str(addrs[a], "ip"))) yield return e;
            }
            var ports = J.Objs(subsets[s], "ports");
            for (var p = 0; p < ports.Count; p++)
            {
                foreach (var e in Checks.Port($"subsets[{s}].ports[{p}].port", J.Long(ports[p], "port"))) yield return e;
                foreach (var e in Checks.Protocol($"subsets[{s}].ports[{p}].protocol", J.Str(ports[p], "protocol"))) yield return e;
            }
        }
    }

    public override IReadOnlyList<object?> GetCells(JsonObject obj, DateTimeOffset now) =>
        [J.S(obj, "metadata", "name"), Format(obj), Cells.Age(obj, now)];

    /// <summary>formatEndpoints: "ip:port" per address and port (bare IPs for port-less subsets), three shown, "+ N more...".</summary>
    public static string Format(JsonObject obj)
    {
        var subsets = J.Objs(obj, "subsets");
        if (subsets.Count == 0) return Cells.None;
        var all = new List<string>();
        foreach (var ss in subsets)
        {
            var addrs = J.Objs(ss, "addresses").Select(a => J.S(a, "ip")).ToList();
            var ports = J.Objs(ss, "ports");
            if (ports.Count == 0) all.AddRange(addrs);
            else
                foreach (var p in ports)
                    all.AddRange(addrs.Select(ip => ip.Contains(':') ? $"[{ip}]:{J.Long(p, "port")}" : $"{ip}:{J.Long(p, "port")}"));
        }
        return Cells.ListWithMore(all, Cells.None);
    }
}

public static class EndpointsKind
{
    public static ResourceDescriptor Descriptor { get; } = new()
    {
        Group = "",
        Version = "v1",
        Kind = "Endpoints",
        Plural = "endpoints",
        Singular = "endpoints",
        ShortNames = ["ep"],
        ModelType = typeof(k8s.Models.V1Endpoints),
        Columns = [Col.Name, Col.S("Endpoints", "Endpoints of the endpoints"), Col.Age],
        Strategy = new EndpointsStrategy(),
    };
}
