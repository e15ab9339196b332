using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;
using K8sHost.Registry.Catalog;
using K8sHost.Resources.Common;

namespace K8sHost.Resources.Services;

/// <summary>svcStrategy plus the IP/port allocators of the service REST storage.</summary>
internal sealed class ServiceStrategy : IResourceStrategy, IAllocatingStrategy
{
    public void PrepareForCreate(StrategyContext ctx, JsonObject obj)
    {
        ServiceDefaults.Apply(obj, ServiceNetworkOptions.From(ctx.Services));
        obj["status"] = new JsonObject { ["loadBalancer"] = new JsonObject() };
    }

    public void PrepareForUpdate(StrategyContext ctx, JsonObject obj, JsonObject old)
    {
        ServiceDefaults.DropTypeDependentFields(obj, old);
        ServiceDefaults.KeepAllocated(obj, old);
        ServiceDefaults.Apply(obj, ServiceNetworkOptions.From(ctx.Services));
        var s = old["status"]?.DeepClone();
        if (s is null) obj.Remove("status"); else obj["status"] = s;
    }

    public void PrepareForStatusUpdate(StrategyContext ctx, JsonObject obj, JsonObject old)
    {
        StatusWrites.KeepAllButStatus(obj, old);
        ServiceDefaults.Status(obj);
    }

    public IEnumerable<FieldError> Validate(StrategyContext ctx, JsonObject obj) =>
        ServiceValidation.Validate(obj, ServiceNetworkOptions.From(ctx.Services)).ToList();

    public IEnumerable<FieldError> ValidateUpdate(StrategyContext ctx, JsonObject obj, JsonObject old) =>
        ServiceValidation.ValidateUpdate(obj, old, ServiceNetworkOptions.From(ctx.Services)).ToList();

    public IReadOnlyDictionary<string, string> GetFields(JsonObject obj) => new Dictionary<string, string>
    {
        ["spec.clusterIP"] = J.S(obj, "spec", "clusterIP"),
        ["spec.type"] = J.S(obj, "spec", "type"),
    };

    public IReadOnlyList<object?> GetCells(JsonObject obj, DateTimeOffset now) => ServicePrinter.Cells(obj, now);

    public async Task AllocateAsync(StrategyContext ctx, JsonObject obj, JsonObject? old, CancellationToken ct)
    {
        var allocator = ServiceAllocator.From(ctx);
        var spec = J.Ensure(obj, "spec");
        var name = J.S(obj, "metadata", "name");
        var claimedIp = (string?)null;
        var claimedPorts = new List<long>();
        try
        {
            if (ServiceDefaults.NeedsClusterIp(obj))
            {
                var requested = J.Str(spec, "clusterIP") ?? "";
                var held = ServiceDefaults.NeedsClusterIp(old) ? J.Str(old, "spec", "clusterIP") : null;
                if (requested.Length == 0)
                {
                    claimedIp = await allocator.AllocateIpAsync(obj, ct);
                    spec["clusterIP"] = claimedIp;
                    spec["clusterIPs"] = new JsonArray(claimedIp);
                }
                else if (requested != held)
                {
                    if (!await allocator.TryClaimIpAsync(requested, obj, ct))
                        throw Invalid(name, FieldError.Invalid("spec.clusterIPs", requested,
                            $"failed to allocate IP {requested}: provided IP is already allocated"));
                    claimedIp = requested;
                }
            }
            else if (J.Str(spec, "clusterIP") == "None") spec["clusterIPs"] = new JsonArray("None");

            if (!ServiceDefaults.NeedsNodePorts(obj)) return;
            var heldPorts = ServiceDefaults.NeedsNodePorts(old) ? NodePorts(old) : [];
            var ports = J.Objs(spec, "ports");
            // Requested ports first, so a dynamic pick never takes a port another entry of this service asked for.
            for (var i = 0; i < ports.Count; i++)
            {
                var np = J.Long(ports[i], "nodePort") ?? 0;
                if (np == 0 || heldPorts.Contains(np) || claimedPorts.Contains(np)) continue;
                if (!await allocator.TryClaimPortAsync(np, obj, ct))
                    throw Invalid(name, FieldError.Invalid($"spec.ports[{i}].nodePort", np, "provided port is already allocated"));
                claimedPorts.Add(np);
            }
            foreach (var p in ports.Where(p => (J.Long(p, "nodePort") ?? 0) == 0))
            {
                var np = await allocator.AllocatePortAsync(obj, ct);
                claimedPorts.Add(np);
                p["nodePort"] = np;
            }
        }
        catch
        {
            // Leave nothing claimed when the write will not happen.
            if (claimedIp is not null) await allocator.ReleaseIpAsync(claimedIp, obj, CancellationToken.None);
            foreach (var p in claimedPorts) await allocator.ReleasePortAsync(p, obj, CancellationToken.None);
            throw;
        }
    }

    public async Task ReleaseAsync(StrategyContext ctx, JsonObject obj, JsonObject? keep, CancellationToken ct)
    {
        var allocator = ServiceAllocator.From(ctx);
        var ip = ServiceDefaults.NeedsClusterIp(obj) ? J.Str(obj, "spec", "clusterIP") : null;
        var keptIp = ServiceDefaults.NeedsClusterIp(keep) ? J.Str(keep, "spec", "clusterIP") : null;
        if (!string.IsNullOrEmpty(ip) && ip != keptIp) await allocator.ReleaseIpAsync(ip, obj, ct);
        var kept = ServiceDefaults.NeedsNodePorts(keep) ? NodePorts(keep) : [];
        foreach (var p in NodePorts(obj).Where(p => !kept.Contains(p))) await allocator.ReleasePortAsync(p, obj, ct);
    }

    private static HashSet<long> NodePorts(JsonObject? svc) =>
        J.Objs(svc, "spec", "ports").Select(p => J.Long(p, "nodePort") ?? 0).Where(p => p > 0).ToHashSet();

    private static ApiError Invalid(string name, FieldError e) => ApiError.Invalid("Service", "", name, [e.ToCause()]);
}
