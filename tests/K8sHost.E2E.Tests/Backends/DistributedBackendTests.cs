using System.Text.Json.Nodes;
using Xunit;
using static K8sHost.E2E.Tests.Backends.BackendHttp;

namespace K8sHost.E2E.Tests.Backends;

/// <summary>
/// The whole server (real process, real kubectl over TLS) on a distributed backend: the same scenarios run on etcd and
/// on FlareDB through the derived classes. Each test works in its own namespace; the restart test replaces the
/// fixture's server process, so tests always read fx.Server when they run.
/// </summary>
public abstract class DistributedBackendTests<TFixture>(TFixture fx) where TFixture : BackendServerFixture
{
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(15);

    private Infrastructure.Kubectl K => fx.Kubectl;

    private async Task<string> NewNamespaceAsync(string prefix)
    {
        var ns = $"{prefix}-{Guid.NewGuid().ToString("N")[..6]}";
        await K.OkAsync("apply -f -", $"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n");
        return ns;
    }

    private static string Pod(string name, string ns) => $"""
        apiVersion: v1
        kind: Pod
        metadata:
          name: {name}
          namespace: {ns}
          labels:
            app: web
        spec:
          containers:
          - name: nginx
            image: nginx:1.27
        """;

    [Fact]
    public async Task Kubectl_CreateGetListLabelDelete_PodsAndConfigMaps()
    {
        var ns = await NewNamespaceAsync("crud");
        Assert.Contains("pod/web created", await K.OkAsync("create -f -", Pod("web", ns)));
        Assert.Contains("configmap/settings created", await K.OkAsync($"create configmap settings -n {ns} --from-literal=color=blue"));

        var pod = JsonNode.Parse(await K.OkAsync($"get pod web -n {ns} -o json"))!;
        Assert.Equal("nginx:1.27", pod["spec"]!["containers"]![0]!["image"]!.GetValue<string>());
        Assert.Equal("blue", (await K.OkAsync($"get configmap settings -n {ns} -o jsonpath={{.data.color}}")).Trim());

        var table = await K.OkAsync($"get pods,configmaps -n {ns}");
        Assert.Matches(@"(?m)^pod/web\s+0/1\s+Pending", table);
        Assert.Matches(@"(?m)^configmap/settings\s+1\s+", table);

        Assert.Contains("pod/web labeled", await K.OkAsync($"label pod web -n {ns} tier=fe"));
        Assert.Contains("configmap/settings labeled", await K.OkAsync($"label configmap settings -n {ns} tier=fe"));
        await K.OkAsync($"create configmap other -n {ns}");
        var selected = await K.OkAsync($"get pods,configmaps -n {ns} -l tier=fe -o name");
        Assert.Equal(["configmap/settings", "pod/web"], selected.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));

        Assert.Contains("pod \"web\" deleted", await K.OkAsync($"delete pod web -n {ns} --wait=false"));
        Assert.Contains("configmap \"settings\" deleted", await K.OkAsync($"delete configmap settings -n {ns}"));
        var gone = await K.RunAsync($"get configmap settings -n {ns}");
        Assert.NotEqual(0, gone.ExitCode);
        Assert.Contains("NotFound", gone.StdErr);
        Assert.Equal("configmap/other", (await K.OkAsync($"get configmaps -n {ns} -o name")).Trim());
    }

    [Fact]
    public async Task KubectlGetWatch_PrintsAddedModifiedDeletedEvents()
    {
        var ns = await NewNamespaceAsync("watch");
        await K.OkAsync($"create configmap web -n {ns}");
        using var watching = new StreamingKubectl(fx.Server, $"get configmaps -n {ns} -w --output-watch-events");
        // kubectl lists, prints, then watches from the list's resourceVersion: every change after this line must show up.
        await watching.WaitForLineAsync(@"ADDED\s+web\s", EventTimeout);
        await K.OkAsync($"label configmap web -n {ns} tier=fe");
        await K.OkAsync($"create configmap late -n {ns}");
        await K.OkAsync($"delete configmap web -n {ns}");
        await watching.WaitForLineAsync(@"MODIFIED\s+web\s", EventTimeout);
        await watching.WaitForLineAsync(@"ADDED\s+late\s", EventTimeout);
        await watching.WaitForLineAsync(@"DELETED\s+web\s", EventTimeout);
    }

    [Fact]
    public async Task Watch_ResumedFromAnEarlierResourceVersion_ReplaysEveryChangeSinceInOrder()
    {
        using var http = Client(fx.Server);
        var ns = $"resume-{Guid.NewGuid().ToString("N")[..6]}";
        await CreateNamespaceAsync(http, ns);
        await CreateConfigMapAsync(http, ns, "before");
        var listRv = (await GetJsonAsync(http, $"/api/v1/namespaces/{ns}/configmaps"))["metadata"]!["resourceVersion"]!.GetValue<string>();

        // Changes made while no watch is open: a client that resumes from listRv must get all of them.
        var a = await CreateConfigMapAsync(http, ns, "a");
        var b = await CreateConfigMapAsync(http, ns, "b");
        var del = await http.DeleteAsync($"/api/v1/namespaces/{ns}/configmaps/before");
        Assert.True(del.IsSuccessStatusCode, await del.Content.ReadAsStringAsync());

        await using var watch = await WatchReader.OpenAsync(http,
            $"/api/v1/namespaces/{ns}/configmaps?watch=true&resourceVersion={listRv}&timeoutSeconds=30");
        var e1 = await watch.NextAsync(EventTimeout);
        var e2 = await watch.NextAsync(EventTimeout);
        var e3 = await watch.NextAsync(EventTimeout);
        Assert.Equal(("ADDED", "a"), (e1!["type"]!.GetValue<string>(), e1["object"]!["metadata"]!["name"]!.GetValue<string>()));
        Assert.Equal(("ADDED", "b"), (e2!["type"]!.GetValue<string>(), e2["object"]!["metadata"]!["name"]!.GetValue<string>()));
        Assert.Equal(("DELETED", "before"), (e3!["type"]!.GetValue<string>(), e3["object"]!["metadata"]!["name"]!.GetValue<string>()));
        Assert.Equal(ResourceVersion(a), ResourceVersion(e1["object"]!));
        Assert.True(ResourceVersion(e3["object"]!) > ResourceVersion(b), "the delete comes after the creates");

        // And it stays live: a change after the resume arrives too.
        await CreateConfigMapAsync(http, ns, "live");
        await watch.WaitForAsync("ADDED", "live", EventTimeout);
    }

    [Fact]
    public async Task Bootstrap_KubernetesServiceAndSystemNamespacesExist()
    {
        var kube = await K.OkAsync("get svc kubernetes -n default");
        Assert.Matches(@"kubernetes\s+ClusterIP\s+10\.96\.0\.1\s+<none>\s+443/TCP", kube);
        var nss = await K.OkAsync("get ns");
        foreach (var ns in new[] { "default", "kube-system", "kube-public", "kube-node-lease" })
            Assert.Matches($@"(?m)^{ns}\s+Active\s+", nss);
    }

    [Fact]
    public async Task ServerRestart_KeepsEveryObject_AndTheRevisionSequenceContinues()
    {
        var ns = $"restart-{Guid.NewGuid().ToString("N")[..6]}";
        long maxBefore;
        string listRv;
        using (var http = Client(fx.Server))
        {
            await CreateNamespaceAsync(http, ns);
            for (var i = 0; i < 5; i++) await CreateConfigMapAsync(http, ns, $"cm-{i}", $"value-{i}");
            var list = await GetJsonAsync(http, $"/api/v1/namespaces/{ns}/configmaps");
            maxBefore = list["items"]!.AsArray().Max(o => ResourceVersion(o!));
            listRv = list["metadata"]!["resourceVersion"]!.GetValue<string>();
        }

        await fx.RestartServerAsync();

        using var after = Client(fx.Server);
        var again = await GetJsonAsync(after, $"/api/v1/namespaces/{ns}/configmaps");
        Assert.Equal(["cm-0", "cm-1", "cm-2", "cm-3", "cm-4"], Names(again));
        Assert.Equal("value-3", (await GetJsonAsync(after, $"/api/v1/namespaces/{ns}/configmaps/cm-3"))["data"]!["k"]!.GetValue<string>());
        Assert.True(long.Parse(again["metadata"]!["resourceVersion"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)
            >= long.Parse(listRv, System.Globalization.CultureInfo.InvariantCulture), "the list revision never goes back");
        var created = await CreateConfigMapAsync(after, ns, "after-restart");
        Assert.True(ResourceVersion(created) > maxBefore, $"new write got {ResourceVersion(created)}, not above {maxBefore}");

        // The restarted server's namespaces and bootstrap objects were kept, not re-created as new ones.
        var kubeSvc = await GetJsonAsync(after, "/api/v1/namespaces/default/services/kubernetes");
        Assert.True(ResourceVersion(kubeSvc) < maxBefore, "the kubernetes service is the one created before the restart");
        Assert.Contains(ns, Names(await GetJsonAsync(after, "/api/v1/namespaces")));
    }
}

[Collection(BackendsCollection.Name)]
public sealed class EtcdBackendTests(EtcdServerFixture fx) : DistributedBackendTests<EtcdServerFixture>(fx);

[Collection(BackendsCollection.Name)]
public sealed class FlareDbBackendTests(FlareDbServerFixture fx) : DistributedBackendTests<FlareDbServerFixture>(fx);

