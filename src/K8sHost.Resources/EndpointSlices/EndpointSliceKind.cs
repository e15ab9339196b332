using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;
using K8sHost.Registry.Catalog;
using K8sHost.Resources.Common;

namespace K8sHost.Resources.EndpointSlices;

internal sealed class EndpointSliceStrategy() : SimpleStrategy(Checks.NameRule.Subdomain, Defaults)
{
    /// <summary>discovery/v1 SetDefaults_EndpointPort (name "", protocol TCP) and the `conditions: {}` struct of each endpoint.</summary>
    private static void Defaults(JsonObject obj)
    {
        foreach (var p in J.Objs(obj, "ports"))
        {
            J.Default(p, "name", "");
            J.Default(p, "protocol", "TCP");
        }
        foreach (var e in J.Objs(obj, "endpoints")) J.Ensure(e, "conditions");
    }

    private static readonly string[] AddressTypes = ["FQDN", "IPv4", "IPv6"];

    protected override IEnumerable<FieldError> ValidateKind(JsonObject obj)
    {
        var type = J.Str(obj, "addressType");
        if (string.IsNullOrEmpty(type)) yield return FieldError.Required("addressType");
        else if (!AddressTypes.Contains(type)) yield return FieldError.NotSupported("addressType", type, AddressTypes);
        var endpoints = J.Objs(obj, "endpoints");
        for (var i = 0; i < endpoints.Count; i++)
        {
            var addrs = J.Strs(endpoints[i], "addresses");
            if (addrs.Count == 0) yield return FieldError.Required($"endpoints[{i}].addresses", "must contain at least 1 address");
            if (type is "IPv4" or "IPv6")
                for (var a = 0; a < addrs.Count; a++)
                    foreach (var e in Checks.Ip($"endpoints[{i}].addresses[{a}]", addrs[a])) yield return e;
        }
        var ports = J.Objs(obj, "ports");
        for (var p = 0; p < ports.Count; p++)
        {
            if (J.Long(ports[p], "port") is { } port) foreach (var e in Checks.Port($"ports[{p}].port", port)) yield return e;
            foreach (var e in Checks.Protocol($"ports[{p}].protocol", J.Str(ports[p], "protocol"))) yield return e;
        }
    }

    public override IEnumerable<FieldError> ValidateUpdate(StrategyContext ctx, JsonObject obj, JsonObject old) =>
        Validate(ctx, obj).Concat(Checks.Immutable("addressType", obj["addressType"], old["addressType"])).ToList();

    public override IReadOnlyList<object?> GetCells(JsonObject obj, DateTimeOffset now)
    {
        // formatDiscoveryPorts: the number, else the name, else "*".
        var ports = J.Objs(obj, "ports").Select(p => J.Long(p, "port")?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? J.Str(p, "name") ?? "*").ToList();
        var addrs = J.Objs(obj, "endpoints").SelectMany(e => J.Strs(e, "addresses")).ToList();
        return [J.S(obj, "metadata", "name"), J.S(obj, "addressType"), Cells.ListWithMore(ports, "<unset>"), Cells.ListWithMore(addrs, "<unset>"), Cells.Age(obj, now)];
    }
}

public static class EndpointSliceKind
{
    public static ResourceDescriptor Descriptor { get; } = new()
    {
        Group = "discovery.k8s.io",
        Version = "v1",
        Kind = "EndpointSlice",
        Plural = "endpointslices",
        Singular = "endpointslice",
        ModelType = typeof(k8s.Models.V1EndpointSlice),
        Columns =
        [
            Col.Name,
            Col.S("AddressType", "The IP protocol for this slice"),
            Col.S("Ports", "The ports for this slice"),
            Col.S("Endpoints", "The endpoints for this slice"),
            Col.Age,
        ],
        Strategy = new EndpointSliceStrategy(),
    };
}
