using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;
using K8sHost.Testing.Faults;

namespace K8sHost.Testing.Tests;

public sealed class FaultInjectionTests
{
    private static V1ConfigMap ConfigMap(string name) => new() { Metadata = new() { Name = name }, Data = new Dictionary<string, string> { ["k"] = "v" } };

    [Fact]
    public async Task An_unavailable_store_gives_sdk_clients_503_ServiceUnavailable_Status_and_recovery_restores_service()
    {
        await using var api = await TestApiServer.StartAsync();
        api.Faults.MakeStoreUnavailable();

        var write = await Assert.ThrowsAsync<HttpOperationException>(() => api.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("during"), "default"));
        var read = await Assert.ThrowsAsync<HttpOperationException>(() => api.Client.CoreV1.ListNamespacedConfigMapAsync("default"));
        api.Faults.RestoreStore();
        var after = await api.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("after"), "default");

        foreach (var e in new[] { write, read })
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, e.Response.StatusCode);
            var status = KubernetesJson.Deserialize<V1Status>(e.Response.Content);
            Assert.Equal("Failure", status.Status);
            Assert.Equal("ServiceUnavailable", status.Reason);
            Assert.Equal(503, status.Code);
            Assert.Contains("Retry-After", e.Response.Headers.Keys);
        }
        Assert.Equal("after", after.Metadata.Name);
    }

    [Fact]
    public async Task A_store_that_does_not_answer_gives_504_Timeout_Status()
    {
        await using var api = await TestApiServer.StartAsync();
        api.Faults.MakeStoreUnavailable(kind: StoreFaultKind.Timeout);

        var e = await Assert.ThrowsAsync<HttpOperationException>(() => api.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("slow"), "default"));

        Assert.Equal(HttpStatusCode.GatewayTimeout, e.Response.StatusCode);
        var status = KubernetesJson.Deserialize<V1Status>(e.Response.Content);
        Assert.Equal("Timeout", status.Reason);
        Assert.Equal(504, status.Code);
    }

    [Fact]
    public async Task An_outage_with_a_duration_ends_by_itself()
    {
        await using var api = await TestApiServer.StartAsync();
        api.Faults.MakeStoreUnavailable(TimeSpan.FromMilliseconds(300));
        Assert.True(api.Faults.StoreIsFaulted);

        await Assert.ThrowsAsync<HttpOperationException>(() => api.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("early"), "default"));
        await Task.Delay(400);
        var later = await api.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("later"), "default");

        Assert.False(api.Faults.StoreIsFaulted);
        Assert.Equal("later", later.Metadata.Name);
    }

    [Fact]
    public async Task CloseAllWatches_ends_sdk_watches_and_a_recorder_resumes_without_losing_events()
    {
        await using var api = await TestApiServer.StartAsync();
        await using var recorder = await api.RecordEventsAsync<V1ConfigMap>("default");
        var sdkClosed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var list = await api.Client.CoreV1.ListNamespacedConfigMapAsync("default");
        var sdkWatch = ConsumeAsync(api.Client.CoreV1.WatchListNamespacedConfigMapAsync("default", resourceVersion: list.Metadata.ResourceVersion), sdkClosed);
        await api.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("before"), "default");
        await recorder.WaitForCountAsync(1);
        await WaitForWatchersAsync(api, atLeast: 2);

        var closed = api.Faults.CloseAllWatches();
        await sdkClosed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await sdkWatch;
        await api.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("after"), "default");
        var events = await recorder.WaitForCountAsync(2);

        Assert.True(closed >= 2);
        Assert.True(recorder.Resumes >= 1);
        Assert.Equal(["before", "after"], events.Select(e => e.Object.Metadata.Name));
        Assert.All(events, e => Assert.Equal(WatchEventType.Added, e.Type));
    }

    [Fact]
    public async Task Disposing_the_server_during_open_watches_ends_them_and_returns_promptly()
    {
        var api = await TestApiServer.StartAsync();
        var recorder = await api.RecordEventsAsync<V1ConfigMap>();
        var sdkClosed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var list = await api.Client.CoreV1.ListConfigMapForAllNamespacesAsync();
        var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigObject(api.Kubeconfig));
        var sdkWatch = ConsumeAsync(client.CoreV1.WatchListConfigMapForAllNamespacesAsync(resourceVersion: list.Metadata.ResourceVersion), sdkClosed);
        await WaitForWatchersAsync(api, atLeast: 2);

        var started = DateTime.UtcNow;
        await api.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(15));
        await sdkClosed.Task.WaitAsync(TimeSpan.FromSeconds(15));
        await sdkWatch;
        await recorder.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        client.Dispose();

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task A_small_watch_cache_window_makes_resuming_from_an_old_resourceVersion_410_Gone()
    {
        await using var small = await TestApiServer.StartAsync(o => o.WatchCacheMaxEvents = 5);
        await using var normal = await TestApiServer.StartAsync();
        var results = new List<(int Code, string Message)>();
        foreach (var api in new[] { small, normal })
        {
            var first = await api.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("first"), "default");
            for (var i = 0; i < 20; i++) await api.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap($"filler-{i}"), "default");
            using var http = api.CreateHttpClient();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            using var res = await http.GetAsync(
                $"/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=1&resourceVersion={first.Metadata.ResourceVersion}",
                HttpCompletionOption.ResponseHeadersRead, cts.Token);
            using var reader = new StreamReader(await res.Content.ReadAsStreamAsync(cts.Token));
            using var line = JsonDocument.Parse((await reader.ReadLineAsync(cts.Token))!);
            var obj = line.RootElement.GetProperty("object");
            results.Add(line.RootElement.GetProperty("type").GetString() == "ERROR"
                ? (obj.GetProperty("code").GetInt32(), obj.GetProperty("message").GetString()!)
                : (200, obj.GetProperty("metadata").GetProperty("name").GetString()!));
        }

        Assert.Equal(410, results[0].Code);
        Assert.Contains("too old resource version", results[0].Message);
        Assert.Equal((200, "filler-0"), results[1]);
    }

    // Reads an SDK watch to its end (or failure) and then signals: what an informer would see as "the watch closed".
    private static Task ConsumeAsync(IAsyncEnumerable<(WatchEventType, V1ConfigMap)> events, TaskCompletionSource closed) => Task.Run(async () =>
    {
        try { await foreach (var _ in events) { } }
        catch (Exception) { } // a cut connection ends the watch as well
        finally { closed.TrySetResult(); }
    });

    internal static async Task WaitForWatchersAsync(TestApiServer api, int atLeast)
    {
        var cache = (K8sHost.Registry.Cache.WatchCache)api.Services.GetService(typeof(K8sHost.Registry.Cache.WatchCache))!;
        for (var i = 0; i < 200 && cache.WatcherCount < atLeast; i++) await Task.Delay(25);
        Assert.True(cache.WatcherCount >= atLeast, $"only {cache.WatcherCount} watches opened");
    }
}
