using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;
using K8sHost.ApiMachinery.Validation;
using K8sHost.Resources.Common;

namespace K8sHost.Resources.Pods;

/// <summary>The subset of ValidatePod / ValidatePodUpdate that users hit, with kube's field paths and messages.</summary>
internal static class PodValidation
{
    private static readonly string[] RestartPolicies = ["Always", "OnFailure", "Never"];
    private static readonly string[] DnsPolicies = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"];

    public const string UpdateForbidden =
        "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`," +
        "`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations)," +
        "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

    public static IEnumerable<FieldError> Validate(JsonObject pod)
    {
        foreach (var e in Checks.Name(pod, Checks.NameRule.Subdomain)) yield return e;
        var spec = J.Obj(pod, "spec");
        var containers = J.Objs(spec, "containers");
        if (containers.Count == 0) yield return FieldError.Required("spec.containers");
        var names = new HashSet<string>();
        var volumes = new HashSet<string>();
        foreach (var e in PodVolumeValidation.Volumes(J.Objs(spec, "volumes"), volumes)) yield return e;
        foreach (var e in Containers("spec.containers", containers, names, volumes)) yield return e;
        foreach (var e in Containers("spec.initContainers", J.Objs(spec, "initContainers"), names, volumes)) yield return e;
        foreach (var e in TaintRules.Tolerations("spec.tolerations", J.Objs(spec, "tolerations"))) yield return e;
        foreach (var e in ObjectMetaValidation.ValidateLabels(StringMap(J.Obj(spec, "nodeSelector")), "spec.nodeSelector")) yield return e;
        foreach (var e in ResourceQuantities.RequestsWithinLimits("spec.resources", J.Obj(spec, "resources"))) yield return e;

        var restart = J.Str(spec, "restartPolicy");
        if (restart is not null && !RestartPolicies.Contains(restart))
            yield return FieldError.NotSupported("spec.restartPolicy", restart, RestartPolicies);
        var dns = J.Str(spec, "dnsPolicy");
        if (dns is not null && !DnsPolicies.Contains(dns)) yield return FieldError.NotSupported("spec.dnsPolicy", dns, DnsPolicies);
        if (J.Long(spec, "activeDeadlineSeconds") is <= 0 and var ads)
            yield return FieldError.Invalid("spec.activeDeadlineSeconds", ads, "must be between 1 and 2147483647, inclusive");
        if (J.Long(spec, "terminationGracePeriodSeconds") is < 0 and var g)
            yield return FieldError.Invalid("spec.terminationGracePeriodSeconds", g, "must be greater than or equal to 0");
        if (J.Str(spec, "nodeName") is { Length: > 0 } node)
            foreach (var e in Checks.Value("spec.nodeName", node, Checks.NameRule.Subdomain)) yield return e;
        if (J.Str(spec, "serviceAccountName") is { Length: > 0 } sa)
            foreach (var e in Checks.Value("spec.serviceAccountName", sa, Checks.NameRule.Subdomain)) yield return e;
    }

    private static IEnumerable<KeyValuePair<string, string>> StringMap(JsonObject? map) =>
        (map ?? []).Select(p => new KeyValuePair<string, string>(p.Key, J.Str(p.Value) ?? ""));

    private static IEnumerable<FieldError> Containers(string path, IReadOnlyList<JsonObject> containers, HashSet<string> names, HashSet<string> volumes)
    {
        for (var i = 0; i < containers.Count; i++)
        {
            var c = containers[i];
            var at = $"{path}[{i}]";
            var name = J.Str(c, "name");
            if (string.IsNullOrEmpty(name)) yield return FieldError.Required($"{at}.name");
            else
            {
                foreach (var e in Checks.Value($"{at}.name", name, Checks.NameRule.Label)) yield return e;
                if (!names.Add(name)) yield return FieldError.Duplicate($"{at}.name", name);
            }
            if (string.IsNullOrWhiteSpace(J.Str(c, "image"))) yield return FieldError.Required($"{at}.image");
            var pull = J.Str(c, "imagePullPolicy");
            string[] pulls = ["Always", "IfNotPresent", "Never"];
            if (pull is not null && !pulls.Contains(pull)) yield return FieldError.NotSupported($"{at}.imagePullPolicy", pull, pulls);
            var ports = J.Objs(c, "ports");
            var portNames = new HashSet<string>();
            for (var p = 0; p < ports.Count; p++)
            {
                var pp = $"{at}.ports[{p}]";
                foreach (var e in Checks.Port($"{pp}.containerPort", J.Long(ports[p], "containerPort"))) yield return e;
                foreach (var e in Checks.Port($"{pp}.hostPort", J.Long(ports[p], "hostPort"), required: false)) yield return e;
                foreach (var e in Checks.Protocol($"{pp}.protocol", J.Str(ports[p], "protocol"))) yield return e;
                if (J.Str(ports[p], "name") is { Length: > 0 } pn)
                {
                    foreach (var e in Checks.PortName($"{pp}.name", pn)) yield return e;
                    if (!portNames.Add(pn)) yield return FieldError.Duplicate($"{pp}.name", pn);
                }
            }
            foreach (var e in ContainerValidation.Env($"{at}.env", J.Objs(c, "env"))) yield return e;
            foreach (var e in ContainerValidation.Mounts($"{at}.volumeMounts", J.Objs(c, "volumeMounts"), volumes)) yield return e;
            foreach (var e in ContainerValidation.Probes(at, c)) yield return e;
            foreach (var e in ResourceQuantities.RequestsWithinLimits($"{at}.resources", J.Obj(c, "resources"))) yield return e;
        }
    }

    /// <summary>
    /// ValidatePodUpdate's spec rule: blank out what may change (images, activeDeadlineSeconds, added tolerations,
    /// terminationGracePeriodSeconds) and require the rest to be equal.
    /// </summary>
    public static IEnumerable<FieldError> ValidateUpdate(JsonObject pod, JsonObject old)
    {
        foreach (var e in Validate(pod)) yield return e;
        var now = J.Obj(pod, "spec")?.DeepClone() as JsonObject ?? new JsonObject();
        // The stored pod is compared as defaulted today, as kube defaults what it reads from storage: a pod stored
        // before a default existed is not "changed" by a body that now carries it.
        var stored = (JsonObject)old.DeepClone();
        PodDefaults.ApplySpec(stored);
        var before = J.Obj(stored, "spec")?.DeepClone() as JsonObject ?? new JsonObject();
        foreach (var key in new[] { "activeDeadlineSeconds", "terminationGracePeriodSeconds", "tolerations" })
        {
            now.Remove(key);
            before.Remove(key);
        }
        foreach (var list in new[] { "containers", "initContainers" })
            foreach (var c in J.Objs(now, list).Concat(J.Objs(before, list))) c.Remove("image");
        if (!JsonNode.DeepEquals(now, before)) yield return FieldError.Forbidden("spec", UpdateForbidden);

        var oldTolerations = J.Objs(old, "spec", "tolerations");
        var newTolerations = J.Objs(pod, "spec", "tolerations");
        foreach (var t in oldTolerations)
            if (!newTolerations.Any(n => JsonNode.DeepEquals(n, t)))
            {
                yield return FieldError.Forbidden("spec.tolerations", "existing toleration can not be modified except its tolerationSeconds");
                break;
            }
        var ads = J.Long(pod, "spec", "activeDeadlineSeconds");
        var oldAds = J.Long(old, "spec", "activeDeadlineSeconds");
        if (oldAds is not null && (ads is null || ads > oldAds))
            yield return FieldError.Invalid("spec.activeDeadlineSeconds", (object?)ads ?? "null",
                "must be less than or equal to previous value");
    }
}
