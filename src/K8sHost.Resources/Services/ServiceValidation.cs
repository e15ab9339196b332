using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;
using K8sHost.ApiMachinery.Validation;
using K8sHost.Resources.Common;

namespace K8sHost.Resources.Services;

/// <summary>ValidateService / ValidateServiceUpdate, the parts users hit, plus the range checks of the allocators.</summary>
internal static class ServiceValidation
{
    private static readonly string[] Types = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
    private static readonly string[] Affinities = ["ClientIP", "None"];
    private static readonly string[] TrafficPolicies = ["Cluster", "Local"];
    private static readonly string[] FamilyPolicies = ["PreferDualStack", "RequireDualStack", "SingleStack"];
    private static readonly string[] Families = ["IPv4", "IPv6"];
    public const int MaxClientIpAffinitySeconds = 86400;

    public static IEnumerable<FieldError> Validate(JsonObject svc, ServiceNetworkOptions options)
    {
        foreach (var e in Checks.Name(svc, Checks.NameRule.Dns1035)) yield return e;
        var spec = J.Obj(svc, "spec");
        var type = J.S(spec, "type");
        if (!Types.Contains(type)) yield return FieldError.NotSupported("spec.type", type, Types);
        var clusterIp = J.Str(spec, "clusterIP") ?? "";
        var headless = clusterIp == "None";
        var ports = J.Objs(spec, "ports");
        if (ports.Count == 0 && !headless && type != "ExternalName") yield return FieldError.Required("spec.ports");
        var affinity = J.Str(spec, "sessionAffinity");
        if (affinity is not null && !Affinities.Contains(affinity)) yield return FieldError.NotSupported("spec.sessionAffinity", affinity, Affinities);
        foreach (var f in new[] { "internalTrafficPolicy", "externalTrafficPolicy" })
            if (J.Str(spec, f) is { Length: > 0 } tp && !TrafficPolicies.Contains(tp))
                yield return FieldError.NotSupported($"spec.{f}", tp, TrafficPolicies);

        foreach (var e in ObjectMetaValidation.ValidateLabels(
            (J.Obj(spec, "selector") ?? []).Select(p => new KeyValuePair<string, string>(p.Key, J.Str(p.Value) ?? "")), "spec.selector")) yield return e;
        if (J.Long(spec, "sessionAffinityConfig", "clientIP", "timeoutSeconds") is { } timeout and (<= 0 or > MaxClientIpAffinitySeconds))
            yield return FieldError.Invalid("spec.sessionAffinityConfig.clientIP.timeoutSeconds", timeout,
                $"must be greater than 0 and less than {MaxClientIpAffinitySeconds}");
        var externalIps = J.Strs(spec, "externalIPs");
        for (var i = 0; i < externalIps.Count; i++)
        {
            var ipErrors = NetworkRules.IsValidIp(externalIps[i]);
            foreach (var m in ipErrors.Count > 0 ? ipErrors : NetworkRules.IsNonSpecialIp(externalIps[i]))
                yield return FieldError.Invalid($"spec.externalIPs[{i}]", externalIps[i], m);
        }
        var sourceRanges = J.Strs(spec, "loadBalancerSourceRanges");
        if (sourceRanges.Count > 0 && type != "LoadBalancer")
            yield return FieldError.Forbidden("spec.loadBalancerSourceRanges", "may only be used when `type` is 'LoadBalancer'");
        else
            for (var i = 0; i < sourceRanges.Count; i++)
                foreach (var e in Checks.Cidr($"spec.loadBalancerSourceRanges[{i}]", sourceRanges[i].Trim())) yield return e;
        if (J.Str(spec, "ipFamilyPolicy") is { Length: > 0 } familyPolicy && !FamilyPolicies.Contains(familyPolicy))
            yield return FieldError.NotSupported("spec.ipFamilyPolicy", familyPolicy, FamilyPolicies);
        var families = J.Strs(spec, "ipFamilies");
        var seenFamilies = new HashSet<string>();
        for (var i = 0; i < families.Count; i++)
        {
            if (!Families.Contains(families[i])) yield return FieldError.NotSupported($"spec.ipFamilies[{i}]", families[i], Families);
            else if (!seenFamilies.Add(families[i])) yield return FieldError.Duplicate($"spec.ipFamilies[{i}]", families[i]);
        }

        if (type == "ExternalName")
        {
            if (clusterIp.Length > 0) yield return FieldError.Forbidden("spec.clusterIPs", "may not be set for ExternalName services");
            var ext = J.Str(spec, "externalName");
            if (string.IsNullOrEmpty(ext)) yield return FieldError.Required("spec.externalName");
            else foreach (var e in Checks.Value("spec.externalName", ext.TrimEnd('.'), Checks.NameRule.Subdomain)) yield return e;
        }
        else if (clusterIp.Length > 0 && !headless)
        {
            var ips = J.Strs(spec, "clusterIPs");
            if (ips.Count > 0 && ips[0] != clusterIp)
                yield return FieldError.Invalid("spec.clusterIPs", ips[0], "must match `spec.clusterIP` when specified");
            var ipErrors = Checks.Ip("spec.clusterIPs[0]", clusterIp).ToList();
            foreach (var e in ipErrors) yield return e;
            var range = options.IpRange;
            if (ipErrors.Count == 0 && range.IndexOf(clusterIp) is null)
                yield return FieldError.Invalid("spec.clusterIPs", clusterIp,
                    $"failed to allocate IP {clusterIp}: provided IP ({clusterIp}) is not in the valid range. The range of valid IPs is {range.Cidr}");
        }

        var names = new HashSet<string>();
        var nodePortRange = options.PortRange;
        for (var i = 0; i < ports.Count; i++)
        {
            var p = ports[i];
            var at = $"spec.ports[{i}]";
            var name = J.Str(p, "name");
            if (string.IsNullOrEmpty(name))
            {
                if (ports.Count > 1) yield return FieldError.Required($"{at}.name");
            }
            else
            {
                foreach (var e in Checks.Value($"{at}.name", name, Checks.NameRule.Label)) yield return e;
                if (!names.Add(name)) yield return FieldError.Duplicate($"{at}.name", name);
            }
            foreach (var e in Checks.Port($"{at}.port", J.Long(p, "port"))) yield return e;
            foreach (var e in Checks.Protocol($"{at}.protocol", J.Str(p, "protocol"))) yield return e;
            if (J.Long(p, "targetPort") is { } tp) foreach (var e in Checks.Port($"{at}.targetPort", tp)) yield return e;
            else if (J.Str(p, "targetPort") is { Length: > 0 } named)
                foreach (var e in Checks.PortName($"{at}.targetPort", named)) yield return e;
            var nodePort = J.Long(p, "nodePort") ?? 0;
            if (nodePort == 0) continue;
            if (type is "ClusterIP" or "ExternalName")
                yield return FieldError.Forbidden($"{at}.nodePort", $"may not be used when `type` is '{type}'");
            else if (!nodePortRange.Contains(nodePort))
                yield return FieldError.Invalid($"{at}.nodePort", nodePort,
                    $"provided port is not in the valid range. The range of valid ports is {nodePortRange}");
        }
    }

    public static IEnumerable<FieldError> ValidateUpdate(JsonObject svc, JsonObject old, ServiceNetworkOptions options)
    {
        foreach (var e in Validate(svc, options)) yield return e;
        var oldIp = J.Str(old, "spec", "clusterIP") ?? "";
        var newIp = J.Str(svc, "spec", "clusterIP") ?? "";
        var typeChange = J.Str(old, "spec", "type") == "ExternalName" || J.Str(svc, "spec", "type") == "ExternalName";
        if (!typeChange && oldIp.Length > 0 && newIp != oldIp)
            yield return FieldError.Invalid("spec.clusterIPs[0]", newIp, "may not change once set");
    }
}
