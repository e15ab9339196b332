using Google.Protobuf;
using K8sHost.FlareDb.Protocol.Errorpb;
using K8sHost.FlareDb.Protocol.Kvrpcpb;
using K8sHost.FlareDb.Protocol.Tikvpb;
using K8sHost.Storage.FlareDb.Resilience;

namespace K8sHost.Storage.FlareDb.Routing;

/// <summary>
/// The raw KV API routed like a TiKV client: find the key's region (cache, else PD), send to the leader's store
/// with the region id, epoch and peer in the Context, and on NotLeader / EpochNotMatch / RegionNotFound fix the
/// cache and try again. Scans walk region by region in batches, never trusting one RPC to return everything.
/// </summary>
internal sealed class RawKvClient
{
    private readonly PdClient _pd;
    private readonly Channels _channels;
    private readonly CallPipeline _pipeline;
    private readonly RegionCache _cache = new();
    private readonly FlareDbSettings _settings;

    public RawKvClient(PdClient pd, Channels channels, CallPipeline pipeline, FlareDbSettings settings)
    {
        _pd = pd;
        _channels = channels;
        _pipeline = pipeline;
        _settings = settings;
    }

    /// <summary>The value, or null when the key does not exist.</summary>
    public async Task<byte[]?> GetAsync(byte[] key, CancellationToken ct)
    {
        var response = await RouteAsync(
            key,
            (client, route, context, token) => client.RawGetAsync(new RawGetRequest { Context = context, Key = ByteString.CopyFrom(key) }, cancellationToken: token).ResponseAsync,
            r => (r.RegionError, r.Error),
            "RawGet",
            ct);
        return response.NotFound ? null : response.Value.ToByteArray();
    }

    public async Task DeleteAsync(byte[] key, CancellationToken ct)
    {
        await RouteAsync(
            key,
            (client, route, context, token) => client.RawDeleteAsync(new RawDeleteRequest { Context = context, Key = ByteString.CopyFrom(key), ForCas = true }, cancellationToken: token).ResponseAsync,
            r => (r.RegionError, r.Error),
            "RawDelete",
            ct);
    }

    /// <summary>
    /// Atomically replaces the value if it currently equals <paramref name="expected"/> (null = the key must not exist).
    /// Returns whether it swapped and the value seen before the call (null = absent).
    /// </summary>
    public async Task<(bool Swapped, byte[]? Previous)> CompareAndSwapAsync(byte[] key, byte[]? expected, byte[] value, CancellationToken ct)
    {
        var response = await RouteAsync(
            key,
            (client, route, context, token) =>
            {
                var request = new RawCASRequest { Context = context, Key = ByteString.CopyFrom(key), Value = ByteString.CopyFrom(value) };
                if (expected is null)
                {
                    request.PreviousNotExist = true;
                }
                else
                {
                    request.PreviousValue = ByteString.CopyFrom(expected);
                }

                return client.RawCompareAndSwapAsync(request, cancellationToken: token).ResponseAsync;
            },
            r => (r.RegionError, r.Error),
            "RawCompareAndSwap",
            ct);
        return (response.Succeed, response.PreviousNotExist ? null : response.PreviousValue.ToByteArray());
    }

    /// <summary>
    /// Keys in [start, end) (end empty = unbounded) in byte order, at most <paramref name="limit"/> (0 = all),
    /// fetched <paramref name="batchSize"/> at a time and continuing into the next region at each region's end.
    /// </summary>
    public async Task<List<(byte[] Key, byte[] Value)>> ScanAsync(byte[] start, byte[] end, int limit, int batchSize, CancellationToken ct, bool keyOnly = false)
    {
        var result = new List<(byte[] Key, byte[] Value)>();
        var cursor = start;
        while (limit == 0 || result.Count < limit)
        {
            if (end.Length > 0 && cursor.AsSpan().SequenceCompareTo(end) >= 0)
            {
                break;
            }

            await WarmRangeAsync(cursor, end, ct);

            var want = limit == 0 ? batchSize : Math.Min(batchSize, limit - result.Count);
            var from = cursor;
            byte[] servedRegionEnd = [];
            var response = await RouteAsync(
                from,
                (client, route, context, token) =>
                {
                    // Clip the scan to the region that serves it; the rest of the range belongs to later regions.
                    servedRegionEnd = route.EndKey;
                    var scanEnd = Min(end, servedRegionEnd);
                    return client.RawScanAsync(
                        new RawScanRequest { Context = context, StartKey = ByteString.CopyFrom(from), EndKey = ByteString.CopyFrom(scanEnd), Limit = (uint)want, KeyOnly = keyOnly },
                        cancellationToken: token).ResponseAsync;
                },
                r => (r.RegionError, null),
                "RawScan",
                ct);

            foreach (var pair in response.Kvs)
            {
                result.Add((pair.Key.ToByteArray(), pair.Value.ToByteArray()));
            }

            if (response.Kvs.Count >= want)
            {
                // A full batch: there may be more in this region; continue right after the last key.
                cursor = Layout.Keys.Successor(response.Kvs[^1].Key.Span);
                continue;
            }

            // A short batch means this region is exhausted; move on to the next one, if the range goes on.
            var exhaustedEnd = servedRegionEnd;
            if (exhaustedEnd.Length == 0 || (end.Length > 0 && exhaustedEnd.AsSpan().SequenceCompareTo(end) >= 0))
            {
                break;
            }

            cursor = exhaustedEnd;
        }

        return result;
    }

    /// <summary>Drops all cached routes (tests, or after a cluster-wide change).</summary>
    public void ClearCache() => _cache.Clear();

    private static byte[] Min(byte[] a, byte[] b)
    {
        if (a.Length == 0)
        {
            return b;
        }

        if (b.Length == 0)
        {
            return a;
        }

        return a.AsSpan().SequenceCompareTo(b) <= 0 ? a : b;
    }

    /// <summary>Learns the regions of a range with one ScanRegions call instead of one GetRegion per region boundary.</summary>
    private async Task WarmRangeAsync(byte[] start, byte[] end, CancellationToken ct)
    {
        if (_cache.Find(start) is not null)
        {
            return;
        }

        foreach (var route in await _pd.ScanRegionsAsync(start, end, 16, ct))
        {
            _cache.Put(route);
        }
    }

    private async Task<RegionRoute> LocateAsync(byte[] key, CancellationToken ct)
    {
        var cached = _cache.Find(key);
        if (cached is not null)
        {
            return cached;
        }

        var route = await _pd.GetRegionAsync(key, ct);
        _cache.Put(route);
        return route;
    }

    private async Task<TResponse> RouteAsync<TResponse>(
        byte[] key,
        Func<Tikv.TikvClient, RegionRoute, Context, CancellationToken, Task<TResponse>> call,
        Func<TResponse, (Error? RegionError, string? Error)> errorsOf,
        string what,
        CancellationToken ct)
    {
        for (var attempt = 0; attempt < _settings.MaxRegionRetries; attempt++)
        {
            var route = await LocateAsync(key, ct);
            var context = new Context { RegionId = route.Id, RegionEpoch = route.Region.RegionEpoch, Peer = route.Leader };
            var client = new Tikv.TikvClient(_channels.For(route.LeaderAddress));
            var response = await _pipeline.ExecuteAsync(token => call(client, route, context, token), what, ct);
            var (regionError, error) = errorsOf(response);
            if (regionError is null)
            {
                if (!string.IsNullOrEmpty(error))
                {
                    throw new StoreUnavailableException($"flaredb: {what} failed: {error}");
                }

                return response;
            }

            await OnRegionErrorAsync(route, regionError, attempt, ct);
        }

        throw new StoreUnavailableException($"flaredb: {what} still hit region errors after {_settings.MaxRegionRetries} re-routes");
    }

    private async Task OnRegionErrorAsync(RegionRoute route, Error error, int attempt, CancellationToken ct)
    {
        if (error.NotLeader is { } notLeader)
        {
            if (notLeader.Leader is { StoreId: > 0 } hint)
            {
                // The store told us who leads now: follow the hint without asking PD.
                _cache.Put(route with { Leader = hint, LeaderAddress = await _pd.GetStoreAddressAsync(hint.StoreId, ct) });
            }
            else
            {
                // Election in progress: back off, then ask PD.
                _cache.Invalidate(route.Id);
                await Task.Delay(Backoff(attempt), ct);
            }

            return;
        }

        if (error.EpochNotMatch is not null)
        {
            // The region split or merged. Drop it; the next lookup asks PD for the current layout.
            _cache.Invalidate(route.Id);
            return;
        }

        if (error.ServerIsBusy is { } busy)
        {
            await Task.Delay(busy.BackoffMs > 0 ? TimeSpan.FromMilliseconds(Math.Min(busy.BackoffMs, 1000)) : Backoff(attempt), ct);
            return;
        }

        if (error.StoreNotMatch is not null)
        {
            _pd.ForgetStore(route.Leader.StoreId);
        }

        // RegionNotFound, KeyNotInRegion, StaleCommand, anything else: the route is wrong; re-learn it.
        _cache.Invalidate(route.Id);
        if (attempt > 0)
        {
            await Task.Delay(Backoff(attempt), ct);
        }
    }

    private static TimeSpan Backoff(int attempt) =>
        TimeSpan.FromMilliseconds(Math.Min(20 * (1 << Math.Min(attempt, 5)), 500) + Random.Shared.Next(0, 20));
}
