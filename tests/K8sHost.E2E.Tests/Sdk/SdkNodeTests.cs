using k8s;
using k8s.Models;
using K8sHost.E2E.Tests.Infrastructure;
using Xunit;

namespace K8sHost.E2E.Tests.Sdk;

/// <summary>SDK code that trusts kube-apiserver's shape: a node always has spec and status.</summary>
[Collection("kubectl")]
public sealed class SdkNodeTests(ServerFixture fx) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task CordonByReadModifyReplace_OfANodeCreatedBare_Works()
    {
        using var c = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(fx.Server.KubeconfigPath));
        var name = $"sdk-node-{Guid.NewGuid().ToString("N")[..6]}";
        await c.CoreV1.CreateNodeAsync(new V1Node { Metadata = new V1ObjectMeta { Name = name } });

        // What a cordon helper does: read the node, flip spec.unschedulable, replace it.
        var node = await c.CoreV1.ReadNodeAsync(name);
        Assert.NotNull(node.Spec);
        Assert.NotNull(node.Status?.NodeInfo);
        node.Spec.Unschedulable = true;
        var replaced = await c.CoreV1.ReplaceNodeAsync(node, name);

        Assert.True(replaced.Spec.Unschedulable);
        await c.CoreV1.DeleteNodeAsync(name);
    }
}
