using System.Text.Json.Nodes;
using K8sHost.Resources.Common;

namespace K8sHost.Resources.Pods;

/// <summary>
/// The defaults kube-apiserver gives a pod: SetDefaults_* from core/v1 plus what the default admission chain adds
/// (ServiceAccount, Priority, DefaultTolerationSeconds), so objects read back as they would from a real cluster.
/// </summary>
internal static class PodDefaults
{
    public static void ApplySpec(JsonObject pod)
    {
        var spec = J.Ensure(pod, "spec");
        J.DefaultStr(spec, "restartPolicy", "Always");
        J.DefaultStr(spec, "dnsPolicy", "ClusterFirst");
        J.Default(spec, "terminationGracePeriodSeconds", 30);
        J.Default(spec, "securityContext", new JsonObject());
        J.DefaultStr(spec, "schedulerName", "default-scheduler");
        J.Default(spec, "enableServiceLinks", true);
        // ServiceAccount admission: every pod runs as a service account, "default" unless named.
        var sa = J.Str(spec, "serviceAccountName") ?? J.Str(spec, "serviceAccount");
        if (string.IsNullOrEmpty(sa)) sa = "default";
        spec["serviceAccountName"] = sa;
        spec["serviceAccount"] = sa;
        // Priority admission with no PriorityClass: priority 0, preempting lower priorities.
        if (string.IsNullOrEmpty(J.Str(spec, "priorityClassName"))) J.Default(spec, "priority", 0);
        J.DefaultStr(spec, "preemptionPolicy", "PreemptLowerPriority");
        AddDefaultTolerations(spec);
        foreach (var c in J.Objs(spec, "initContainers").Concat(J.Objs(spec, "containers")).Concat(J.Objs(spec, "ephemeralContainers")))
            ContainerDefaults.Apply(c);
        var hostNetwork = J.Bool(spec, "hostNetwork");
        foreach (var c in J.Objs(spec, "containers").Concat(J.Objs(spec, "initContainers")))
        {
            RequestsFromLimits(c);
            // On the host network a container port is a host port.
            if (hostNetwork)
                foreach (var p in J.Objs(c, "ports"))
                    if ((J.Long(p, "hostPort") ?? 0) == 0 && p["containerPort"]?.DeepClone() is { } cp) p["hostPort"] = cp;
        }
        PodLevelRequests(spec);
        foreach (var v in J.Objs(spec, "volumes")) VolumeDefaults.Apply(v);
    }

    /// <summary>SetDefaults_Pod: limits without requests make requests equal to the limits (pods only, not templates).</summary>
    private static void RequestsFromLimits(JsonObject c)
    {
        if (J.Obj(c, "resources", "limits") is not { } limits) return;
        var requests = J.Ensure(J.Ensure(c, "resources"), "requests");
        foreach (var (k, v) in limits)
            if (!requests.ContainsKey(k)) requests[k] = v?.DeepClone();
    }

    /// <summary>
    /// Pod-level resources (PodLevelResources, on by default): a pod-level limit with no pod-level request, for a
    /// resource no container requests, becomes the request too.
    /// </summary>
    private static void PodLevelRequests(JsonObject spec)
    {
        if (J.Obj(spec, "resources", "limits") is not { Count: > 0 } limits) return;
        var resources = J.Obj(spec, "resources")!;
        var requests = J.Obj(resources, "requests") ?? new JsonObject();
        var containers = J.Objs(spec, "containers").Concat(J.Objs(spec, "initContainers")).ToList();
        foreach (var (k, v) in limits)
        {
            if (requests.ContainsKey(k) || !IsPodLevelResource(k)) continue;
            if (containers.Any(c => J.Obj(c, "resources", "requests")?.ContainsKey(k) == true)) continue;
            requests[k] = v?.DeepClone();
        }
        if (requests.Count > 0) resources["requests"] = requests;
    }

    private static bool IsPodLevelResource(string name) =>
        name is "cpu" or "memory" || name.StartsWith("hugepages-", StringComparison.Ordinal);

    /// <summary>":latest" or no tag pulls Always; a tag or digest pulls IfNotPresent.</summary>
    public static string PullPolicyFor(string? image) => ContainerDefaults.PullPolicyFor(image);

    private static void AddDefaultTolerations(JsonObject spec)
    {
        var list = spec["tolerations"] as JsonArray;
        foreach (var key in new[] { "node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable" })
        {
            var present = list?.OfType<JsonObject>().Any(t =>
                (J.Str(t, "key") == key || (J.Str(t, "key") is null or "" && J.Str(t, "operator") == "Exists")) &&
                J.Str(t, "effect") is null or "" or "NoExecute") ?? false;
            if (present) continue;
            list ??= (JsonArray)(spec["tolerations"] = new JsonArray());
            list.Add(new JsonObject
            {
                ["key"] = key,
                ["operator"] = "Exists",
                ["effect"] = "NoExecute",
                ["tolerationSeconds"] = 300,
            });
        }
    }

    /// <summary>qos.GetPodQOS, simplified to cpu and memory: Guaranteed when every container limits both and
    /// requests equal limits, BestEffort when nothing is requested or limited, else Burstable.</summary>
    public static string QosClass(JsonObject pod)
    {
        var containers = J.Objs(pod, "spec", "containers").Concat(J.Objs(pod, "spec", "initContainers")).ToList();
        var any = false;
        var guaranteed = containers.Count > 0;
        foreach (var c in containers)
        {
            var req = J.Obj(c, "resources", "requests");
            var lim = J.Obj(c, "resources", "limits");
            foreach (var r in new[] { "cpu", "memory" })
            {
                var rq = req?[r]?.ToJsonString();
                var li = lim?[r]?.ToJsonString();
                if (rq is not null || li is not null) any = true;
                if (li is null || (rq is not null && rq != li)) guaranteed = false;
            }
        }
        if (!any) return "BestEffort";
        return guaranteed ? "Guaranteed" : "Burstable";
    }
}
