using System.Collections.Concurrent;
using Google.Protobuf;
using Grpc.Core;
using K8sHost.FlareDb.Protocol.Metapb;
using K8sHost.FlareDb.Protocol.Pdpb;
using K8sHost.Storage.FlareDb.Resilience;

namespace K8sHost.Storage.FlareDb.Routing;

/// <summary>
/// Talks to the placement driver: cluster membership, which region holds a key and who leads it, and where a
/// store listens. Tries each configured PD address in turn, sticking to the last one that answered.
/// </summary>
internal sealed class PdClient
{
    private readonly IReadOnlyList<string> _endpoints;
    private readonly Channels _channels;
    private readonly CallPipeline _pipeline;
    private readonly ConcurrentDictionary<ulong, string> _storeAddresses = new();
    private int _current;
    private ulong _clusterId;

    public PdClient(IReadOnlyList<string> endpoints, Channels channels, CallPipeline pipeline)
    {
        _endpoints = endpoints;
        _channels = channels;
        _pipeline = pipeline;
    }

    public async Task<GetMembersResponse> GetMembersAsync(CancellationToken ct)
    {
        var response = await CallAsync((c, token) => c.GetMembersAsync(new GetMembersRequest { Header = Header() }, cancellationToken: token).ResponseAsync, "PD GetMembers", ct);
        _clusterId = response.Header?.ClusterId ?? 0;
        return response;
    }

    public async Task<RegionRoute> GetRegionAsync(byte[] key, CancellationToken ct)
    {
        var response = await CallAsync(
            (c, token) => c.GetRegionAsync(new GetRegionRequest { Header = Header(), RegionKey = ByteString.CopyFrom(key) }, cancellationToken: token).ResponseAsync,
            "PD GetRegion", ct);
        ThrowOnError(response.Header, "GetRegion");
        if (response.Region is null || response.Leader is null || response.Leader.StoreId == 0)
        {
            throw new StoreUnavailableException("flaredb: PD knows no region (or no leader) for the key");
        }

        return new RegionRoute(response.Region, response.Leader, await GetStoreAddressAsync(response.Leader.StoreId, ct));
    }

    /// <summary>Regions overlapping [start, end) in key order, with leaders; used to warm the cache before a long scan.</summary>
    public async Task<IReadOnlyList<RegionRoute>> ScanRegionsAsync(byte[] start, byte[] end, int limit, CancellationToken ct)
    {
        var response = await CallAsync(
            (c, token) => c.ScanRegionsAsync(new ScanRegionsRequest { Header = Header(), StartKey = ByteString.CopyFrom(start), EndKey = ByteString.CopyFrom(end), Limit = limit }, cancellationToken: token).ResponseAsync,
            "PD ScanRegions", ct);
        ThrowOnError(response.Header, "ScanRegions");
        var routes = new List<RegionRoute>();
        if (response.Regions.Count > 0)
        {
            foreach (var r in response.Regions)
            {
                if (r.Leader is { StoreId: > 0 })
                {
                    routes.Add(new RegionRoute(r.Region_, r.Leader, await GetStoreAddressAsync(r.Leader.StoreId, ct)));
                }
            }
        }
        else
        {
            for (var i = 0; i < response.RegionMetas.Count && i < response.Leaders.Count; i++)
            {
                if (response.Leaders[i].StoreId > 0)
                {
                    routes.Add(new RegionRoute(response.RegionMetas[i], response.Leaders[i], await GetStoreAddressAsync(response.Leaders[i].StoreId, ct)));
                }
            }
        }

        return routes;
    }

    public async Task<string> GetStoreAddressAsync(ulong storeId, CancellationToken ct)
    {
        if (_storeAddresses.TryGetValue(storeId, out var cached))
        {
            return cached;
        }

        var response = await CallAsync(
            (c, token) => c.GetStoreAsync(new GetStoreRequest { Header = Header(), StoreId = storeId }, cancellationToken: token).ResponseAsync,
            "PD GetStore", ct);
        ThrowOnError(response.Header, "GetStore");
        if (response.Store is null || string.IsNullOrEmpty(response.Store.Address) || response.Store.State == StoreState.Tombstone)
        {
            throw new StoreUnavailableException($"flaredb: PD has no usable address for store {storeId}");
        }

        _storeAddresses[storeId] = response.Store.Address;
        return response.Store.Address;
    }

    /// <summary>Forgets a store address (it stopped answering; PD may know a new one).</summary>
    public void ForgetStore(ulong storeId) => _storeAddresses.TryRemove(storeId, out _);

    private RequestHeader Header() => new() { ClusterId = _clusterId };

    private static void ThrowOnError(ResponseHeader? header, string call)
    {
        if (header?.Error is { Type: not ErrorType.Ok } error)
        {
            throw new StoreUnavailableException($"flaredb: PD {call} failed: {error.Type} {error.Message}");
        }
    }

    /// <summary>One PD call with failover: an unreachable member makes the next one current.</summary>
    private async Task<T> CallAsync<T>(Func<PD.PDClient, CancellationToken, Task<T>> call, string what, CancellationToken ct)
    {
        return await _pipeline.ExecuteAsync(
            async token =>
            {
                var start = Volatile.Read(ref _current);
                for (var i = 0; ; i++)
                {
                    var index = (start + i) % _endpoints.Count;
                    try
                    {
                        var result = await call(new PD.PDClient(_channels.For(_endpoints[index])), token);
                        Volatile.Write(ref _current, index);
                        return result;
                    }
                    catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && i + 1 < _endpoints.Count)
                    {
                        // Try the next PD member.
                    }
                }
            },
            what,
            ct);
    }
}
