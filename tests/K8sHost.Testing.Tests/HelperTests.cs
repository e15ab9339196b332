using k8s;
using k8s.Models;

namespace K8sHost.Testing.Tests;

public sealed class HelperTests
{
    [Fact]
    public async Task WaitUntilAsync_returns_the_object_once_a_later_change_satisfies_the_condition()
    {
        await using var api = await TestApiServer.StartAsync();
        await api.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "flag" }, Data = new Dictionary<string, string> { ["ready"] = "no" } }, "default");

        var wait = api.WaitUntilAsync<V1ConfigMap>("flag", "default", cm => cm.Data?["ready"] == "yes");
        await Task.Delay(200);
        Assert.False(wait.IsCompleted);
        var patch = new V1Patch("""{"data":{"ready":"yes"}}""", V1Patch.PatchType.MergePatch);
        await api.Client.CoreV1.PatchNamespacedConfigMapAsync(patch, "flag", "default");
        var done = await wait;

        Assert.Equal("yes", done.Data["ready"]);
    }

    [Fact]
    public async Task WaitUntilAsync_times_out_naming_the_last_state_it_saw()
    {
        await using var api = await TestApiServer.StartAsync();
        await api.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "never" }, Data = new Dictionary<string, string> { ["ready"] = "no" } }, "default");

        var error = await Assert.ThrowsAsync<TimeoutException>(() =>
            api.WaitUntilAsync<V1ConfigMap>("never", "default", cm => cm.Data["ready"] == "yes", TimeSpan.FromMilliseconds(500)));

        Assert.Contains("V1ConfigMap default/never", error.Message);
        Assert.Contains("\"ready\":\"no\"", error.Message);
    }

    [Fact]
    public async Task WaitUntilGoneAsync_returns_when_the_object_is_deleted()
    {
        await using var api = await TestApiServer.StartAsync();
        await api.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new() { Name = "doomed" } });

        var gone = api.WaitUntilGoneAsync<V1Secret>("s", "doomed");
        await api.Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new() { Name = "s" } }, "doomed");
        await api.Client.CoreV1.DeleteNamespacedSecretAsync("s", "doomed");
        await gone.WaitAsync(TimeSpan.FromSeconds(10));
        // Cluster-scoped kinds take a null namespace.
        await api.WaitUntilAsync<V1Namespace>("doomed", null, ns => ns.Metadata.Name == "doomed");
    }

    [Fact]
    public async Task ApplyYamlAsync_twice_updates_in_place_as_server_side_apply()
    {
        await using var api = await TestApiServer.StartAsync();
        const string v1 = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n  labels: {tier: web}\ndata:\n  size: small\n";

        var first = await api.ApplyYamlAsync(v1);
        var second = await api.ApplyYamlAsync(v1.Replace("small", "large"));
        var live = await api.Client.CoreV1.ReadNamespacedConfigMapAsync("app", "default");

        Assert.Equal(first[0]["metadata"]!["uid"]!.GetValue<string>(), second[0]["metadata"]!["uid"]!.GetValue<string>());
        Assert.Equal("large", live.Data["size"]);
        Assert.Equal("web", live.Metadata.Labels["tier"]);
    }

    [Fact]
    public async Task ApplyYamlAsync_of_a_kind_the_server_does_not_serve_names_it()
    {
        await using var api = await TestApiServer.StartAsync();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            api.ApplyYamlAsync("apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n"));

        Assert.Contains("kind \"Widget\"", error.Message);
    }

    [Fact]
    public async Task ApplyAsync_of_a_typed_object_without_apiVersion_and_kind_fills_them_from_the_model()
    {
        await using var api = await TestApiServer.StartAsync();

        var applied = await api.ApplyAsync(new V1ConfigMap { Metadata = new() { Name = "typed", NamespaceProperty = "default" }, Data = new Dictionary<string, string> { ["a"] = "b" } });

        Assert.False(string.IsNullOrEmpty(applied.Metadata.ResourceVersion));
        Assert.Equal("b", applied.Data["a"]);
    }

    [Fact]
    public async Task RecordEventsAsync_collects_added_modified_and_deleted_in_order_filtered_by_label()
    {
        await using var api = await TestApiServer.StartAsync();
        await using var recorder = await api.RecordEventsAsync<V1ConfigMap>("default", labelSelector: "watched=yes");

        await api.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "ignored" } }, "default");
        await api.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "w", Labels = new Dictionary<string, string> { ["watched"] = "yes" } } }, "default");
        await api.Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"x":"1"}}""", V1Patch.PatchType.MergePatch), "w", "default");
        await api.Client.CoreV1.DeleteNamespacedConfigMapAsync("w", "default");
        var events = await recorder.WaitForCountAsync(3);

        Assert.Equal([WatchEventType.Added, WatchEventType.Modified, WatchEventType.Deleted], events.Select(e => e.Type));
        Assert.All(events, e => Assert.Equal("w", e.Object.Metadata.Name));
    }

    [Fact]
    public async Task Create_watch_and_delete_of_100_objects_end_to_end()
    {
        await using var api = await TestApiServer.StartAsync();
        await using var recorder = await api.RecordEventsAsync<V1ConfigMap>("default");
        var started = System.Diagnostics.Stopwatch.StartNew();

        for (var i = 0; i < 100; i++)
            await api.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = $"cm-{i}" } }, "default");
        for (var i = 0; i < 100; i++) await api.Client.CoreV1.DeleteNamespacedConfigMapAsync($"cm-{i}", "default");
        var events = await recorder.WaitForCountAsync(200, TimeSpan.FromSeconds(30));
        started.Stop();

        Assert.Equal(100, events.Count(e => e.Type == WatchEventType.Added));
        Assert.Equal(100, events.Count(e => e.Type == WatchEventType.Deleted));
        Console.WriteLine($"100 creates + 100 deletes, all 200 watch events seen: {started.ElapsedMilliseconds} ms");
    }
}
