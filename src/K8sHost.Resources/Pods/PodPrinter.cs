using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Time;
using K8sHost.Resources.Common;

namespace K8sHost.Resources.Pods;

/// <summary>printPod from kube-apiserver's printers.go: Ready, Status (the reason logic), Restarts and the wide cells.</summary>
internal static class PodPrinter
{
    public static IReadOnlyList<object?> Cells(JsonObject pod, DateTimeOffset now)
    {
        var spec = J.Obj(pod, "spec");
        var status = J.Obj(pod, "status");
        var initSpecs = J.Objs(spec, "initContainers");
        var sidecars = initSpecs.Where(IsSidecar).Select(c => J.S(c, "name")).ToHashSet();
        var total = J.Objs(spec, "containers").Count + sidecars.Count;
        var ready = 0;
        var restarts = 0L;
        var sidecarRestarts = 0L;
        DateTimeOffset? lastRestart = null, lastSidecarRestart = null;

        var phase = J.S(status, "phase");
        var reason = J.Str(status, "reason") is { Length: > 0 } r ? r : phase;
        foreach (var cond in J.Objs(status, "conditions"))
            if (J.Str(cond, "type") == "PodScheduled" && J.Str(cond, "reason") == "SchedulingGated") reason = "SchedulingGated";

        var initializing = false;
        var initStatuses = J.Objs(status, "initContainerStatuses");
        for (var i = 0; i < initStatuses.Count; i++)
        {
            var cs = initStatuses[i];
            var isSidecar = sidecars.Contains(J.S(cs, "name"));
            restarts += J.Long(cs, "restartCount") ?? 0;
            var finished = LastFinished(cs);
            lastRestart = Max(lastRestart, finished);
            if (isSidecar)
            {
                sidecarRestarts += J.Long(cs, "restartCount") ?? 0;
                lastSidecarRestart = Max(lastSidecarRestart, finished);
            }
            var terminated = J.Obj(cs, "state", "terminated");
            var waitingReason = J.S(cs, "state", "waiting", "reason");
            if (terminated is not null && (J.Long(terminated, "exitCode") ?? 0) == 0) continue;
            if (isSidecar && J.Bool(cs, "started"))
            {
                if (J.Bool(cs, "ready")) ready++;
                continue;
            }
            if (terminated is not null)
                reason = J.Str(terminated, "reason") is { Length: > 0 } tr ? "Init:" + tr
                    : J.Long(terminated, "signal") is { } sig and not 0 ? $"Init:Signal:{sig}"
                    : $"Init:ExitCode:{J.Long(terminated, "exitCode") ?? 0}";
            else if (waitingReason.Length > 0 && waitingReason != "PodInitializing") reason = "Init:" + waitingReason;
            else reason = $"Init:{i}/{initSpecs.Count}";
            initializing = true;
            break;
        }

        if (!initializing || HasCondition(status, "Initialized"))
        {
            restarts = sidecarRestarts;
            lastRestart = lastSidecarRestart;
            var hasRunning = false;
            var statuses = J.Objs(status, "containerStatuses");
            for (var i = statuses.Count - 1; i >= 0; i--)
            {
                var cs = statuses[i];
                restarts += J.Long(cs, "restartCount") ?? 0;
                lastRestart = Max(lastRestart, LastFinished(cs));
                var waiting = J.S(cs, "state", "waiting", "reason");
                var terminated = J.Obj(cs, "state", "terminated");
                if (waiting.Length > 0) reason = waiting;
                else if (terminated is not null && J.S(terminated, "reason").Length > 0) reason = J.S(terminated, "reason");
                else if (terminated is not null)
                    reason = J.Long(terminated, "signal") is { } sig and not 0 ? $"Signal:{sig}" : $"ExitCode:{J.Long(terminated, "exitCode") ?? 0}";
                else if (J.Bool(cs, "ready") && J.Obj(cs, "state", "running") is not null)
                {
                    hasRunning = true;
                    ready++;
                }
            }
            if (reason == "Completed" && hasRunning) reason = HasCondition(status, "Ready") ? "Running" : "NotReady";
        }

        if (J.Str(pod, "metadata", "deletionTimestamp") is not null)
        {
            if (J.Str(status, "reason") == "NodeLost") reason = "Unknown";
            else if (phase is not ("Succeeded" or "Failed")) reason = "Terminating";
        }

        var restartText = restarts.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (restarts != 0 && lastRestart is { } lr) restartText = $"{restarts} ({KubeTime.HumanDuration(now - lr)} ago)";

        var podIp = J.Objs(status, "podIPs").Select(p => J.S(p, "ip")).FirstOrDefault() ?? J.Str(status, "podIP");
        return
        [
            J.S(pod, "metadata", "name"), $"{ready}/{total}", reason, restartText, Common.Cells.Age(pod, now),
            Common.Cells.OrNone(podIp), Common.Cells.OrNone(J.Str(spec, "nodeName")),
            Common.Cells.OrNone(J.Str(status, "nominatedNodeName")), ReadinessGates(spec, status),
        ];
    }

    private static string ReadinessGates(JsonObject? spec, JsonObject? status)
    {
        var gates = J.Objs(spec, "readinessGates");
        if (gates.Count == 0) return Common.Cells.None;
        var conditions = J.Objs(status, "conditions");
        var trueCount = gates.Count(g =>
            conditions.FirstOrDefault(c => J.Str(c, "type") == J.Str(g, "conditionType")) is { } c && J.Str(c, "status") == "True");
        return $"{trueCount}/{gates.Count}";
    }

    private static bool IsSidecar(JsonObject initContainer) => J.Str(initContainer, "restartPolicy") == "Always";

    private static bool HasCondition(JsonObject? status, string type) =>
        J.Objs(status, "conditions").Any(c => J.Str(c, "type") == type && J.Str(c, "status") == "True");

    private static DateTimeOffset? LastFinished(JsonObject containerStatus) =>
        KubeTime.TryParse(J.Str(containerStatus, "lastState", "terminated", "finishedAt"), out var t) ? t : null;

    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
