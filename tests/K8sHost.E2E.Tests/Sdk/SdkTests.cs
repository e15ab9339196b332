using k8s;
using k8s.Autorest;
using k8s.Models;
using K8sHost.E2E.Tests.Infrastructure;
using Xunit;

namespace K8sHost.E2E.Tests.Sdk;

/// <summary>The official KubernetesClient SDK over real HTTPS (TLS verified from the written kubeconfig).</summary>
[Collection("kubectl")]
public sealed class SdkTests(ServerFixture fx) : IClassFixture<ServerFixture>
{
    private Kubernetes Client() =>
        new(KubernetesClientConfiguration.BuildConfigFromConfigFile(fx.Server.KubeconfigPath));

    private static V1Pod NewPod(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app"] = "sdk" } },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "busybox:1.36" }] },
    };

    private static async Task<string> NamespaceAsync(Kubernetes c)
    {
        var ns = $"sdk-{Guid.NewGuid().ToString("N")[..6]}";
        await c.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        return ns;
    }

    [Fact]
    public async Task TypedCrud_CreateReadReplaceListDelete()
    {
        using var c = Client();
        var ns = await NamespaceAsync(c);
        var created = await c.CoreV1.CreateNamespacedPodAsync(NewPod("p1"), ns);
        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.False(string.IsNullOrEmpty(created.Metadata.ResourceVersion));
        Assert.Equal("Pending", created.Status.Phase);

        var read = await c.CoreV1.ReadNamespacedPodAsync("p1", ns);
        read.Spec.Containers[0].Image = "busybox:1.37";
        var replaced = await c.CoreV1.ReplaceNamespacedPodAsync(read, "p1", ns);
        Assert.Equal("busybox:1.37", replaced.Spec.Containers[0].Image);
        Assert.True(long.Parse(replaced.Metadata.ResourceVersion) > long.Parse(created.Metadata.ResourceVersion));

        var list = await c.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "app=sdk");
        Assert.Single(list.Items);

        await c.CoreV1.DeleteNamespacedPodAsync("p1", ns);
        var ex = await Assert.ThrowsAsync<HttpOperationException>(() => c.CoreV1.ReadNamespacedPodAsync("p1", ns));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, ex.Response.StatusCode);
    }

    [Fact]
    public async Task Replace_WithStaleResourceVersion_Returns409Conflict()
    {
        using var c = Client();
        var ns = await NamespaceAsync(c);
        var created = await c.CoreV1.CreateNamespacedPodAsync(NewPod("p1"), ns);
        var stale = await c.CoreV1.ReadNamespacedPodAsync("p1", ns);
        created.Metadata.Labels["v"] = "2";
        await c.CoreV1.ReplaceNamespacedPodAsync(created, "p1", ns);
        stale.Metadata.Labels["v"] = "3";
        var ex = await Assert.ThrowsAsync<HttpOperationException>(() => c.CoreV1.ReplaceNamespacedPodAsync(stale, "p1", ns));
        Assert.Equal(System.Net.HttpStatusCode.Conflict, ex.Response.StatusCode);
        Assert.Contains("the object has been modified", ex.Response.Content);
    }

    [Fact]
    public async Task WatchAsync_DeliversAddedModifiedDeleted()
    {
        using var c = Client();
        var ns = await NamespaceAsync(c);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var seen = new List<(WatchEventType, string)>();
        var watch = Task.Run(async () =>
        {
            var stream = c.CoreV1.WatchListNamespacedPodAsync(ns, cancellationToken: cts.Token);
            await foreach (var (type, pod) in stream)
            {
                seen.Add((type, pod.Metadata.Name));
                if (type == WatchEventType.Deleted) break;
            }
        });
        await Task.Delay(500);
        var p = await c.CoreV1.CreateNamespacedPodAsync(NewPod("w1"), ns);
        p.Metadata.Labels["x"] = "y";
        await c.CoreV1.ReplaceNamespacedPodAsync(p, "w1", ns);
        await c.CoreV1.DeleteNamespacedPodAsync("w1", ns);
        await watch.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal([(WatchEventType.Added, "w1"), (WatchEventType.Modified, "w1"), (WatchEventType.Deleted, "w1")], seen);
    }

    [Fact]
    public async Task ConcurrentReadModifyWrite_FinalCountEqualsSuccesses_AndFailuresAre409()
    {
        using var c = Client();
        var ns = await NamespaceAsync(c);
        await c.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "counter" },
            Data = new Dictionary<string, string> { ["n"] = "0" },
        }, ns);
        var successes = 0;
        var others = 0;
        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            using var cc = Client();
            for (var i = 0; i < 50; i++)
            {
                var cm = await cc.CoreV1.ReadNamespacedConfigMapAsync("counter", ns);
                cm.Data["n"] = (int.Parse(cm.Data["n"]) + 1).ToString();
                try
                {
                    await cc.CoreV1.ReplaceNamespacedConfigMapAsync(cm, "counter", ns);
                    Interlocked.Increment(ref successes);
                }
                catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict)
                {
                }
                catch (HttpOperationException)
                {
                    Interlocked.Increment(ref others);
                }
            }
        })));
        var final = await c.CoreV1.ReadNamespacedConfigMapAsync("counter", ns);
        Assert.Equal(0, others);
        Assert.Equal(successes, int.Parse(final.Data["n"]));
        Assert.True(successes > 0);
    }
}
