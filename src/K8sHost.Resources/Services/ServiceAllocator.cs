using System.Text;
using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;
using K8sHost.Registry.Contracts;
using K8sHost.Registry.Catalog;
using K8sHost.Storage;

namespace K8sHost.Resources.Services;

/// <summary>
/// Cluster IPs and node ports, claimed as one store key each under the tenant
/// ("k8s/{org}/{project}/_allocations/serviceips/10.96.0.5"). CreateAsync is the lock: whoever creates the key owns
/// the value, so allocations stay unique across concurrent requests, server replicas and restarts.
/// </summary>
internal sealed class ServiceAllocator(IResourceStore store, Tenant tenant, ServiceNetworkOptions options)
{
    private readonly IpRange _ips = options.IpRange;
    private readonly PortRange _ports = options.PortRange;

    public string IpPrefix => $"{StorageKeys.TenantPrefix(tenant)}_allocations/serviceips/";

    public string PortPrefix => $"{StorageKeys.TenantPrefix(tenant)}_allocations/servicenodeports/";

    public static ServiceAllocator From(StrategyContext ctx)
    {
        var store = ctx.Services?.GetService(typeof(IResourceStore)) as IResourceStore
            ?? throw ApiError.Internal("the service IP allocator has no store to keep allocations in");
        return new ServiceAllocator(store, ctx.Request.Tenant, ServiceNetworkOptions.From(ctx.Services));
    }

    /// <summary>Claims <paramref name="ip"/>; false when someone holds it.</summary>
    public async Task<bool> TryClaimIpAsync(string ip, JsonObject owner, CancellationToken ct) =>
        (await store.CreateAsync(IpPrefix + ip, OwnerBytes(owner), ct)).IsOk;

    public async Task<bool> TryClaimPortAsync(long port, JsonObject owner, CancellationToken ct) =>
        (await store.CreateAsync(PortPrefix + port, OwnerBytes(owner), ct)).IsOk;

    /// <summary>The lowest free dynamic IP; 500 "range is full" as kube-apiserver answers.</summary>
    public async Task<string> AllocateIpAsync(JsonObject owner, CancellationToken ct)
    {
        var taken = await TakenAsync(IpPrefix, ct);
        for (UInt128 i = IpRange.FirstDynamicIndex; i <= _ips.LastIndex; i++)
        {
            var ip = _ips.At(i);
            if (taken.Contains(ip)) continue;
            if (await TryClaimIpAsync(ip, owner, ct)) return ip;
        }
        throw ApiError.Internal($"failed to allocate a serviceIP: range is full ({_ips.Cidr})");
    }

    public async Task<long> AllocatePortAsync(JsonObject owner, CancellationToken ct)
    {
        var taken = await TakenAsync(PortPrefix, ct);
        for (long p = _ports.Low; p <= _ports.High; p++)
        {
            if (taken.Contains(p.ToString(System.Globalization.CultureInfo.InvariantCulture))) continue;
            if (await TryClaimPortAsync(p, owner, ct)) return p;
        }
        throw ApiError.Internal($"failed to allocate a nodePort: range is full ({_ports})");
    }

    public Task ReleaseIpAsync(string ip, JsonObject owner, CancellationToken ct) => ReleaseAsync(IpPrefix + ip, owner, ct);

    public Task ReleasePortAsync(long port, JsonObject owner, CancellationToken ct) => ReleaseAsync(PortPrefix + port, owner, ct);

    /// <summary>Deletes the key only when it still names this service, so a late release never frees someone else's value.</summary>
    private async Task ReleaseAsync(string key, JsonObject owner, CancellationToken ct)
    {
        var current = await store.GetAsync(key, ct);
        if (!current.IsOk || current.Value is null) return;
        var holder = JsonNode.Parse(current.Value.Value) as JsonObject;
        if (holder is not null && !SameOwner(holder, Owner(owner))) return;
        await store.DeleteAsync(key, current.Value.ModRevision, ct);
    }

    private async Task<HashSet<string>> TakenAsync(string prefix, CancellationToken ct)
    {
        var taken = new HashSet<string>(StringComparer.Ordinal);
        string? after = null;
        while (true)
        {
            var page = await store.ListAsync(prefix, after, 1000, 0, ct);
            if (!page.IsOk || page.Value is null) return taken;
            foreach (var kv in page.Value.Items) taken.Add(kv.Key[prefix.Length..]);
            if (!page.Value.More || page.Value.Items.Count == 0) return taken;
            after = page.Value.Items[^1].Key;
        }
    }

    private static JsonObject Owner(JsonObject service) => new()
    {
        ["namespace"] = service["metadata"]?["namespace"]?.DeepClone(),
        ["name"] = service["metadata"]?["name"]?.DeepClone(),
        ["uid"] = service["metadata"]?["uid"]?.DeepClone(),
    };

    private static byte[] OwnerBytes(JsonObject service) => Encoding.UTF8.GetBytes(Owner(service).ToJsonString());

    private static bool SameOwner(JsonObject a, JsonObject b) =>
        a["uid"]?.ToJsonString() is { } ua && b["uid"]?.ToJsonString() is { } ub
            ? ua == ub
            : a["namespace"]?.ToJsonString() == b["namespace"]?.ToJsonString() && a["name"]?.ToJsonString() == b["name"]?.ToJsonString();
}
