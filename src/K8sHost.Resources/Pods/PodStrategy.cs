using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;
using K8sHost.ApiMachinery.Time;
using K8sHost.Registry.Catalog;
using K8sHost.Resources.Common;

namespace K8sHost.Resources.Pods;

/// <summary>podStrategy: defaults, validation, the spec-update rule, binding and (refused) logs.</summary>
internal sealed class PodStrategy : IResourceStrategy, IBindingStrategy, ILogStrategy, IContainerStreamStrategy
{
    public void PrepareForCreate(StrategyContext ctx, JsonObject obj)
    {
        PodDefaults.ApplySpec(obj);
        // kube resets status on create: every new pod is Pending with a computed QoS class.
        obj["status"] = new JsonObject { ["phase"] = "Pending", ["qosClass"] = PodDefaults.QosClass(obj) };
    }

    public void PrepareForUpdate(StrategyContext ctx, JsonObject obj, JsonObject old)
    {
        // The body of a PUT is defaulted like any decoded object, so re-sending the original manifest is not a spec change.
        PodDefaults.ApplySpec(obj);
        var s = old["status"]?.DeepClone();
        if (s is null) obj.Remove("status"); else obj["status"] = s;
    }

    public IEnumerable<FieldError> Validate(StrategyContext ctx, JsonObject obj) => PodValidation.Validate(obj).ToList();

    public IEnumerable<FieldError> ValidateUpdate(StrategyContext ctx, JsonObject obj, JsonObject old) =>
        PodValidation.ValidateUpdate(obj, old).ToList();

    public IReadOnlyDictionary<string, string> GetFields(JsonObject obj)
    {
        var podIp = J.Objs(obj, "status", "podIPs").Select(p => J.S(p, "ip")).FirstOrDefault() ?? J.S(obj, "status", "podIP");
        return new Dictionary<string, string>
        {
            ["spec.nodeName"] = J.S(obj, "spec", "nodeName"),
            ["spec.restartPolicy"] = J.S(obj, "spec", "restartPolicy"),
            ["spec.schedulerName"] = J.S(obj, "spec", "schedulerName"),
            ["spec.serviceAccountName"] = J.S(obj, "spec", "serviceAccountName"),
            ["spec.hostNetwork"] = J.Bool(obj, "spec", "hostNetwork") ? "true" : "false",
            ["status.phase"] = J.S(obj, "status", "phase"),
            ["status.podIP"] = podIp,
            ["status.nominatedNodeName"] = J.S(obj, "status", "nominatedNodeName"),
        };
    }

    public IReadOnlyList<object?> GetCells(JsonObject obj, DateTimeOffset now) => PodPrinter.Cells(obj, now);

    public void ApplyBinding(StrategyContext ctx, JsonObject obj, JsonObject binding)
    {
        var name = J.S(obj, "metadata", "name");
        var target = J.Obj(binding, "target");
        var errors = new List<FieldError>();
        if (string.IsNullOrEmpty(J.Str(target, "name"))) errors.Add(FieldError.Required("target.name"));
        if (J.Str(target, "kind") is { Length: > 0 } kind && kind != "Node")
            errors.Add(FieldError.Invalid("target.kind", kind, "must be empty or 'Node'"));
        if (errors.Count > 0) throw ApiError.Invalid("Binding", "", J.S(binding, "metadata", "name"), errors.Select(e => e.ToCause()).ToList());

        if (J.Str(obj, "metadata", "deletionTimestamp") is not null)
            throw ApiError.Conflict("pods/binding", "", name, $"pod {name} is being deleted, cannot be assigned to a host");
        if (J.Str(obj, "spec", "nodeName") is { Length: > 0 } bound)
            throw ApiError.Conflict("pods/binding", "", name, $"pod {name} is already assigned to node \"{bound}\"");

        J.Ensure(obj, "spec")["nodeName"] = J.S(target, "name");
        // The scheduler's binding also records PodScheduled=True, which kubectl describe shows.
        var status = J.Ensure(obj, "status");
        var conditions = status["conditions"] as JsonArray ?? (JsonArray)(status["conditions"] = new JsonArray());
        foreach (var old in conditions.OfType<JsonObject>().Where(c => J.Str(c, "type") == "PodScheduled").ToList()) conditions.Remove(old);
        conditions.Add(new JsonObject
        {
            ["type"] = "PodScheduled",
            ["status"] = "True",
            ["lastProbeTime"] = null,
            ["lastTransitionTime"] = KubeTime.Format(ctx.Now),
        });
    }

    public Task<string> GetLogAsync(StrategyContext ctx, JsonObject obj, string? container, CancellationToken ct)
    {
        var name = J.S(obj, "metadata", "name");
        container = ContainerOf(obj, name, container);
        // 400 rather than 5xx: the request is understood and will not succeed on retry; there is no kubelet to ask.
        throw ApiError.BadRequest(
            $"container logs are not available: this server runs no node agent (pod \"{name}\", container \"{container}\")");
    }

    public Task ConnectAsync(StrategyContext ctx, JsonObject obj, string subresource, string? container, CancellationToken ct)
    {
        var name = J.S(obj, "metadata", "name");
        var what = subresource switch
        {
            "exec" => "exec into containers",
            "attach" => "attach to containers",
            _ => "port forwarding",
        };
        // Port forwarding names no container; exec and attach pick one as kube-apiserver does (the only one, or the named one).
        var target = subresource == "portforward" ? "" : $", container \"{ContainerOf(obj, name, container)}\"";
        throw ApiError.BadRequest($"{what} is not available: this server runs no node agent (pod \"{name}\"{target})");
    }

    private static string ContainerOf(JsonObject obj, string name, string? container)
    {
        var names = J.Objs(obj, "spec", "containers").Concat(J.Objs(obj, "spec", "initContainers"))
            .Concat(J.Objs(obj, "spec", "ephemeralContainers")).Select(c => J.S(c, "name")).ToList();
        if (string.IsNullOrEmpty(container))
        {
            var main = J.Objs(obj, "spec", "containers").Select(c => J.S(c, "name")).ToList();
            // kubectl picks the default container itself; a bare request naming none is only valid for one container.
            if (main.Count != 1)
                throw ApiError.BadRequest($"a container name must be specified for pod {name}, choose one of: [{string.Join(" ", main)}]");
            container = main[0];
        }
        else if (!names.Contains(container))
            throw ApiError.BadRequest($"container {container} is not valid for pod {name}");
        return container;
    }
}
