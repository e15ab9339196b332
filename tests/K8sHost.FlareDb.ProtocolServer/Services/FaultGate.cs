using Grpc.Core;
using K8sHost.FlareDb.ProtocolServer.Cluster;

namespace K8sHost.FlareDb.ProtocolServer.Services;

/// <summary>Applies the transport-level faults (unavailable, dropped call, delay) before any service answers.</summary>
internal static class FaultGate
{
    public static async Task EnterAsync(ClusterState cluster, string method, ServerCallContext context)
    {
        cluster.Calls.AddOrUpdate(method, 1, (_, n) => n + 1);
        var faults = cluster.Faults;
        if (faults.Delay > TimeSpan.Zero)
        {
            await Task.Delay(faults.Delay, context.CancellationToken);
        }

        if (faults.Unavailable)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "injected: cluster unavailable"));
        }

        if (faults.TakeDrop())
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "injected: call dropped"));
        }
    }
}
