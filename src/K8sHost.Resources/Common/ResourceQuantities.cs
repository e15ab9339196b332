using K8sHost.ApiMachinery.Errors;
using K8sHost.ApiMachinery.Validation;

namespace K8sHost.Resources.Common;

/// <summary>ValidateResourceQuantityValue and the request/limit rule of resource requirements.</summary>
internal static class ResourceQuantities
{
    /// <summary>Non-negative; whole for resources that count objects (pods) and for extended resources.</summary>
    public static IEnumerable<FieldError> Value(string field, string resource, string quantity)
    {
        if (!QuantityValue.TryParse(quantity, out var value)) yield break; // the decoder rejected malformed quantities
        if (value < 0) yield return FieldError.Invalid(field, quantity, "must be greater than or equal to 0");
        if (IsInteger(resource) && decimal.Truncate(value) != value) yield return FieldError.Invalid(field, quantity, "must be an integer");
    }

    /// <summary>IsIntegerResourceName: object counts and extended resources (a domain outside kubernetes.io).</summary>
    public static bool IsInteger(string resource) =>
        resource is "pods" or "services" or "replicationcontrollers" or "resourcequotas" or "secrets" or "configmaps" or
            "persistentvolumeclaims" or "services.nodeports" or "services.loadbalancers" ||
        resource.StartsWith("count/", StringComparison.Ordinal) || IsExtended(resource);

    /// <summary>IsExtendedResourceName: a qualified name with a prefix outside kubernetes.io and not "requests.".</summary>
    public static bool IsExtended(string resource)
    {
        var slash = resource.IndexOf('/');
        if (slash <= 0 || resource.StartsWith("requests.", StringComparison.Ordinal)) return false;
        var prefix = resource[..slash];
        return prefix != "kubernetes.io" && !prefix.EndsWith(".kubernetes.io", StringComparison.Ordinal);
    }

    /// <summary>Requests may not exceed limits; extended resources (not overcommittable) must equal them.</summary>
    public static IEnumerable<FieldError> RequestsWithinLimits(string path, System.Text.Json.Nodes.JsonObject? resources)
    {
        var requests = J.Obj(resources, "requests");
        var limits = J.Obj(resources, "limits");
        foreach (var (name, v) in limits ?? [])
            foreach (var e in Value($"{path}.limits[{name}]", name, J.S(v))) yield return e;
        foreach (var (name, v) in requests ?? [])
        {
            var request = J.S(v);
            foreach (var e in Value($"{path}.requests[{name}]", name, request)) yield return e;
            if (limits?[name] is not { } lv || !QuantityValue.TryParse(request, out var r) || !QuantityValue.TryParse(J.S(lv), out var l)) continue;
            if (r != l && IsExtended(name))
                yield return FieldError.Invalid($"{path}.requests", request, $"must be equal to {name} limit of {J.S(lv)}");
            else if (r > l)
                yield return FieldError.Invalid($"{path}.requests", request, $"must be less than or equal to {name} limit of {J.S(lv)}");
        }
    }
}
