using Google.Protobuf;
using Grpc.Core;
using K8sHost.FlareDb.Protocol.Errorpb;
using K8sHost.FlareDb.Protocol.Kvrpcpb;
using K8sHost.FlareDb.Protocol.Tikvpb;
using K8sHost.FlareDb.ProtocolServer.Cluster;

namespace K8sHost.FlareDb.ProtocolServer.Services;

/// <summary>
/// The raw KV subset of a store. Each request is checked the way a TiKV store checks it: the region must exist,
/// the epoch must be current, this store must lead the region and the key must lie in it; otherwise the answer
/// is a region error (RegionNotFound, EpochNotMatch, NotLeader with a hint, KeyNotInRegion) for the client to act on.
/// Which store is addressed is known from the local port the call arrived on.
/// </summary>
internal sealed class TikvService(ClusterState cluster) : Tikv.TikvBase
{
    public override async Task<RawGetResponse> RawGet(RawGetRequest request, ServerCallContext context)
    {
        var error = await CheckAsync("RawGet", request.Context, request.Key, context);
        if (error is not null)
        {
            return new RawGetResponse { RegionError = error };
        }

        var value = cluster.Engine.Get(request.Key.ToByteArray());
        return value is null ? new RawGetResponse { NotFound = true } : new RawGetResponse { Value = ByteString.CopyFrom(value) };
    }

    public override async Task<RawPutResponse> RawPut(RawPutRequest request, ServerCallContext context)
    {
        var error = await CheckAsync("RawPut", request.Context, request.Key, context);
        if (error is null)
        {
            cluster.Engine.Put(request.Key.ToByteArray(), request.Value.ToByteArray());
        }

        return new RawPutResponse { RegionError = error };
    }

    public override async Task<RawBatchPutResponse> RawBatchPut(RawBatchPutRequest request, ServerCallContext context)
    {
        foreach (var pair in request.Pairs)
        {
            var error = await CheckAsync("RawBatchPut", request.Context, pair.Key, context);
            if (error is not null)
            {
                return new RawBatchPutResponse { RegionError = error };
            }
        }

        foreach (var pair in request.Pairs)
        {
            cluster.Engine.Put(pair.Key.ToByteArray(), pair.Value.ToByteArray());
        }

        return new RawBatchPutResponse();
    }

    public override async Task<RawDeleteResponse> RawDelete(RawDeleteRequest request, ServerCallContext context)
    {
        var error = await CheckAsync("RawDelete", request.Context, request.Key, context);
        if (error is null)
        {
            cluster.Engine.Delete(request.Key.ToByteArray());
        }

        return new RawDeleteResponse { RegionError = error };
    }

    public override async Task<RawScanResponse> RawScan(RawScanRequest request, ServerCallContext context)
    {
        cluster.ScanLimits.Enqueue(request.Limit);
        var error = await CheckAsync("RawScan", request.Context, request.StartKey, context);
        if (error is not null)
        {
            return new RawScanResponse { RegionError = error };
        }

        if (request.Reverse)
        {
            throw new RpcException(new Status(StatusCode.Unimplemented, "reverse scans are not part of the test server"));
        }

        // A store never returns keys beyond its region, whatever end key the client asked for.
        var region = cluster.RegionById(request.Context.RegionId)!;
        var end = request.EndKey.ToByteArray();
        if (region.EndKey.Length > 0 && (end.Length == 0 || end.AsSpan().SequenceCompareTo(region.EndKey) > 0))
        {
            end = region.EndKey;
        }

        var response = new RawScanResponse();
        foreach (var pair in cluster.Engine.Scan(request.StartKey.ToByteArray(), end, (int)Math.Min(request.Limit, int.MaxValue)))
        {
            response.Kvs.Add(new KvPair { Key = ByteString.CopyFrom(pair.Key), Value = request.KeyOnly ? ByteString.Empty : ByteString.CopyFrom(pair.Value) });
        }

        return response;
    }

    public override async Task<RawCASResponse> RawCompareAndSwap(RawCASRequest request, ServerCallContext context)
    {
        var error = await CheckAsync("RawCompareAndSwap", request.Context, request.Key, context);
        if (error is not null)
        {
            return new RawCASResponse { RegionError = error };
        }

        if (cluster.Faults.TakeCompareAndSwapDelay(request.Key.Span) is { Ticks: > 0 } delay)
        {
            await Task.Delay(delay, CancellationToken.None);
        }

        var (swapped, previous) = cluster.Engine.CompareAndSwap(
            request.Key.ToByteArray(), request.PreviousNotExist, request.PreviousValue.ToByteArray(), request.Value.ToByteArray());
        return new RawCASResponse
        {
            Succeed = swapped,
            PreviousNotExist = previous is null,
            PreviousValue = previous is null ? ByteString.Empty : ByteString.CopyFrom(previous),
        };
    }

    private async Task<Error?> CheckAsync(string method, Context? requestContext, ByteString key, ServerCallContext context)
    {
        await FaultGate.EnterAsync(cluster, method, context);
        var thisStore = cluster.StoreIdForPort(context.GetHttpContext().Connection.LocalPort);
        var error = Check(requestContext, key, thisStore);
        if (error is null)
        {
            cluster.ServedByStore.AddOrUpdate(thisStore, 1, (_, n) => n + 1);
        }
        else
        {
            var kind = error.NotLeader is not null ? "NotLeader"
                : error.EpochNotMatch is not null ? "EpochNotMatch"
                : error.RegionNotFound is not null ? "RegionNotFound"
                : error.ServerIsBusy is not null ? "ServerIsBusy"
                : "KeyNotInRegion";
            cluster.RegionErrors.AddOrUpdate(kind, 1, (_, n) => n + 1);
        }

        return error;
    }

    private Error? Check(Context? requestContext, ByteString key, ulong thisStore)
    {
        var region = requestContext is null ? null : cluster.RegionById(requestContext.RegionId);
        if (region is null)
        {
            return new Error { Message = "region not found", RegionNotFound = new RegionNotFound { RegionId = requestContext?.RegionId ?? 0 } };
        }

        var epoch = requestContext!.RegionEpoch;
        if (epoch is null || epoch.Version != region.Version || epoch.ConfVer != region.ConfVer)
        {
            var mismatch = new EpochNotMatch();
            foreach (var current in cluster.Regions)
            {
                mismatch.CurrentRegions.Add(current.ToProto());
            }

            return new Error { Message = "epoch not match", EpochNotMatch = mismatch };
        }

        if (thisStore != region.LeaderStore || cluster.Faults.TakeNotLeader())
        {
            return new Error { Message = "not leader", NotLeader = new NotLeader { RegionId = region.Id, Leader = region.Leader } };
        }

        if (cluster.Faults.TakeLeaderless())
        {
            return new Error { Message = "not leader", NotLeader = new NotLeader { RegionId = region.Id } };
        }

        if (cluster.Faults.TakeServerBusy())
        {
            return new Error { Message = "server is busy", ServerIsBusy = new ServerIsBusy { Reason = "injected", BackoffMs = 5 } };
        }

        if (!region.Contains(key.Span))
        {
            return new Error
            {
                Message = "key not in region",
                KeyNotInRegion = new KeyNotInRegion { Key = key, RegionId = region.Id, StartKey = ByteString.CopyFrom(region.StartKey), EndKey = ByteString.CopyFrom(region.EndKey) },
            };
        }

        return null;
    }
}
