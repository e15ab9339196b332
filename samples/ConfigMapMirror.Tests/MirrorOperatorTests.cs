using System.Text;
using k8s;
using k8s.Models;
using K8sHost.Testing;

namespace ConfigMapMirror.Tests;

public sealed class MirrorOperatorTests(OperatorFixture fixture) : IClassFixture<OperatorFixture>
{
    private TestApiServer Api => fixture.Api;

    private static string Labelled(string name, string ns, string data) => $"""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {name}
          namespace: {ns}
          labels:
            {MirrorOperator.EnabledLabel}: "true"
        data:
          {data}
        """;

    [Fact]
    public async Task A_labelled_ConfigMap_gets_a_mirror_Secret_it_owns_and_a_status_annotation()
    {
        var ns = await fixture.NewNamespaceAsync();
        var cm = (await Api.ApplyYamlAsync(Labelled("app-config", ns, "color: blue")))[0];

        var secret = await Api.WaitUntilAsync<V1Secret>("app-config-mirror", ns, _ => true);
        var synced = await Api.WaitUntilAsync<V1ConfigMap>("app-config", ns, c => c.Metadata.Annotations?.ContainsKey(MirrorOperator.StatusAnnotation) == true);

        Assert.Equal("blue", Encoding.UTF8.GetString(secret.Data["color"]));
        var owner = Assert.Single(secret.Metadata.OwnerReferences);
        Assert.Equal(("ConfigMap", "app-config", true), (owner.Kind, owner.Name, owner.Controller ?? false));
        Assert.Equal(cm["metadata"]!["uid"]!.GetValue<string>(), owner.Uid);
        Assert.StartsWith("synced 1 key(s) to Secret app-config-mirror", synced.Metadata.Annotations[MirrorOperator.StatusAnnotation]);
    }

    [Fact]
    public async Task A_change_to_the_data_is_carried_into_the_Secret()
    {
        var ns = await fixture.NewNamespaceAsync();
        await Api.ApplyYamlAsync(Labelled("settings", ns, "mode: fast"));
        await Api.WaitUntilAsync<V1Secret>("settings-mirror", ns, s => Encoding.UTF8.GetString(s.Data["mode"]) == "fast");

        await Api.ApplyYamlAsync(Labelled("settings", ns, "mode: safe"));
        var secret = await Api.WaitUntilAsync<V1Secret>("settings-mirror", ns, s => Encoding.UTF8.GetString(s.Data["mode"]) == "safe");

        Assert.Equal("safe", Encoding.UTF8.GetString(secret.Data["mode"]));
    }

    [Fact]
    public async Task An_unlabelled_ConfigMap_is_left_alone()
    {
        var ns = await fixture.NewNamespaceAsync();
        await using var secrets = await Api.RecordEventsAsync<V1Secret>(ns);

        await Api.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "plain" } }, ns);
        // A labelled one created after it is a barrier: once its mirror exists, the operator has seen "plain" too.
        await Api.ApplyYamlAsync(Labelled("marker", ns, "k: v"));
        var events = await secrets.WaitForCountAsync(1);

        Assert.Equal(["marker-mirror"], events.Select(e => e.Object.Metadata.Name));
    }

    [Fact]
    public async Task Deleting_the_ConfigMap_deletes_its_mirror()
    {
        var ns = await fixture.NewNamespaceAsync();
        await Api.ApplyYamlAsync(Labelled("temp", ns, "k: v"));
        await Api.WaitUntilAsync<V1Secret>("temp-mirror", ns, _ => true);

        await Api.Client.CoreV1.DeleteNamespacedConfigMapAsync("temp", ns);

        await Api.WaitUntilGoneAsync<V1Secret>("temp-mirror", ns);
    }
}

/// <summary>Resilience: each test owns its server, because faults affect everyone on it.</summary>
public sealed class MirrorOperatorResilienceTests
{
    [Fact]
    public async Task The_operator_resumes_after_the_server_closes_every_watch()
    {
        await using var api = await TestApiServer.StartAsync();
        using var stop = new CancellationTokenSource();
        var op = new MirrorOperator(api.Client);
        var loop = Task.Run(() => op.RunAsync(stop.Token));
        await api.ApplyYamlAsync($"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: one\n  labels: {{{MirrorOperator.EnabledLabel}: \"true\"}}\n");
        await api.WaitUntilAsync<V1Secret>("one-mirror", "default", _ => true);

        api.Faults.CloseAllWatches();
        await api.ApplyYamlAsync($"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: two\n  labels: {{{MirrorOperator.EnabledLabel}: \"true\"}}\n");
        var second = await api.WaitUntilAsync<V1Secret>("two-mirror", "default", _ => true);

        Assert.Equal("two", second.Metadata.OwnerReferences[0].Name);
        await stop.CancelAsync();
        await loop;
    }

    [Fact]
    public async Task The_operator_rides_out_a_store_outage_and_reconciles_what_changed_during_it()
    {
        await using var api = await TestApiServer.StartAsync();
        using var stop = new CancellationTokenSource();
        var op = new MirrorOperator(api.Client, retryDelay: TimeSpan.FromMilliseconds(100));
        var loop = Task.Run(() => op.RunAsync(stop.Token));
        await api.ApplyYamlAsync($"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n  labels: {{{MirrorOperator.EnabledLabel}: \"true\"}}\ndata:\n  v: \"1\"\n");
        await api.WaitUntilAsync<V1Secret>("cfg-mirror", "default", s => Encoding.UTF8.GetString(s.Data["v"]) == "1");

        // The operator's next write fails with 503 while the store is away: it must retry, not give up.
        api.Faults.MakeStoreUnavailable(TimeSpan.FromSeconds(1));
        await Task.Delay(1200);
        await api.ApplyYamlAsync($"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n  labels: {{{MirrorOperator.EnabledLabel}: \"true\"}}\ndata:\n  v: \"2\"\n");
        var secret = await api.WaitUntilAsync<V1Secret>("cfg-mirror", "default", s => Encoding.UTF8.GetString(s.Data["v"]) == "2");

        Assert.Equal("2", Encoding.UTF8.GetString(secret.Data["v"]));
        await stop.CancelAsync();
        await loop;
    }
}
