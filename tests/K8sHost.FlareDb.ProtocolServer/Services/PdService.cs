using Grpc.Core;
using K8sHost.FlareDb.Protocol.Metapb;
using K8sHost.FlareDb.Protocol.Pdpb;
using K8sHost.FlareDb.ProtocolServer.Cluster;

namespace K8sHost.FlareDb.ProtocolServer.Services;

/// <summary>The placement driver subset: members, stores, region by key, region scan.</summary>
internal sealed class PdService(ClusterState cluster, ServerInfo server) : PD.PDBase
{
    public override async Task<GetMembersResponse> GetMembers(GetMembersRequest request, ServerCallContext context)
    {
        await FaultGate.EnterAsync(cluster, "GetMembers", context);
        var member = new Member { Name = "pd-test", MemberId = 1 };
        member.ClientUrls.Add($"http://127.0.0.1:{server.PdPort}");
        var response = new GetMembersResponse { Header = Header(), Leader = member };
        response.Members.Add(member);
        return response;
    }

    public override async Task<GetStoreResponse> GetStore(GetStoreRequest request, ServerCallContext context)
    {
        await FaultGate.EnterAsync(cluster, "GetStore", context);
        if (request.StoreId == 0 || request.StoreId > (ulong)cluster.StorePorts.Count)
        {
            return new GetStoreResponse { Header = Header(ErrorType.Unknown, $"invalid store ID {request.StoreId}, not found") };
        }

        return new GetStoreResponse
        {
            Header = Header(),
            Store = new Store { Id = request.StoreId, Address = $"127.0.0.1:{cluster.StorePorts[(int)request.StoreId - 1]}", State = StoreState.Up, Version = "test" },
        };
    }

    public override async Task<GetRegionResponse> GetRegion(GetRegionRequest request, ServerCallContext context)
    {
        await FaultGate.EnterAsync(cluster, "GetRegion", context);
        var region = cluster.RegionForKey(request.RegionKey.Span);
        return new GetRegionResponse { Header = Header(), Region = region.ToProto(), Leader = region.Leader };
    }

    public override async Task<ScanRegionsResponse> ScanRegions(ScanRegionsRequest request, ServerCallContext context)
    {
        await FaultGate.EnterAsync(cluster, "ScanRegions", context);
        var response = new ScanRegionsResponse { Header = Header() };
        foreach (var region in cluster.Regions)
        {
            var endsAfterStart = region.EndKey.Length == 0 || region.EndKey.AsSpan().SequenceCompareTo(request.StartKey.Span) > 0;
            var startsBeforeEnd = request.EndKey.IsEmpty || region.StartKey.AsSpan().SequenceCompareTo(request.EndKey.Span) < 0;
            if (!endsAfterStart || !startsBeforeEnd)
            {
                continue;
            }

            response.RegionMetas.Add(region.ToProto());
            response.Leaders.Add(region.Leader);
            response.Regions.Add(new K8sHost.FlareDb.Protocol.Pdpb.Region { Region_ = region.ToProto(), Leader = region.Leader });
            if (request.Limit > 0 && response.Regions.Count >= request.Limit)
            {
                break;
            }
        }

        return response;
    }

    private ResponseHeader Header(ErrorType type = ErrorType.Ok, string message = "") =>
        new() { ClusterId = cluster.ClusterId, Error = type == ErrorType.Ok ? null : new Error { Type = type, Message = message } };
}
