using K8sHost.E2E.Tests.Infrastructure;
using Xunit;
using static K8sHost.E2E.Tests.Compat.CompatKit;

namespace K8sHost.E2E.Tests.Compat;

/// <summary>kubectl cordon, uncordon and drain (eviction of a pod bound through pods/binding).</summary>
[Collection("kubectl")]
public sealed class KubectlNodeCompatTests(ServerFixture fx) : IClassFixture<ServerFixture>
{
    private readonly Infrastructure.Kubectl k = fx.Kubectl;

    [Fact]
    public async Task CordonAndUncordon_ToggleSchedulingDisabled()
    {
        var node = await NodeOps.CreateReadyNodeAsync(k);
        Assert.Contains($"node/{node} cordoned", await k.OkAsync($"cordon {node}"));
        Assert.Matches($@"(?m)^{node}\s+Ready,SchedulingDisabled\s+<none>\s+\S+\s+v1\.35\.0$", await k.OkAsync($"get node {node}"));
        Assert.Equal("true", (await k.OkAsync($"get node {node} -o jsonpath={{.spec.unschedulable}}")).Trim());
        Assert.Contains($"node/{node} already cordoned", await k.OkAsync($"cordon {node}"));
        Assert.Contains($"node/{node} uncordoned", await k.OkAsync($"uncordon {node}"));
        Assert.Matches($@"(?m)^{node}\s+Ready\s+<none>\s+\S+\s+v1\.35\.0$", await k.OkAsync($"get node {node}"));
        Assert.Equal("", (await k.OkAsync($"get node {node} -o jsonpath={{.spec.unschedulable}}")).Trim());
    }

    [Fact]
    public async Task Drain_EvictsThePodBoundToTheNode_AndLeavesOthers()
    {
        var ns = await NewNamespaceAsync(k, "drain");
        var node = await NodeOps.CreateReadyNodeAsync(k);
        await k.OkAsync("apply -f -", string.Join("\n---\n", Pod("web", ns), Pod("elsewhere", ns)));
        await NodeOps.BindAsync(k, ns, "web", node);
        var r = await k.RunAsync($"drain {node} --ignore-daemonsets --force --timeout=30s", timeout: TimeSpan.FromSeconds(60));
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains($"node/{node} cordoned", r.StdOut);
        Assert.Contains($"evicting pod {ns}/web", r.StdOut + r.StdErr);
        Assert.Contains("pod/web evicted", r.StdOut);
        Assert.Contains($"node/{node} drained", r.StdOut);
        Assert.Contains($"Warning: deleting Pods that declare no controller: {ns}/web", r.StdErr);
        var gone = await k.RunAsync($"get pod web -n {ns}");
        Assert.Contains("Error from server (NotFound): pods \"web\" not found", gone.StdErr);
        Assert.Equal("pod/elsewhere", (await k.OkAsync($"get pods -n {ns} -o name")).Trim());
        Assert.Matches($@"(?m)^{node}\s+Ready,SchedulingDisabled\s+", await k.OkAsync($"get node {node}"));
    }
}
