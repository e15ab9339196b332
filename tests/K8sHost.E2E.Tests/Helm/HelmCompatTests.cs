using System.Text.Json.Nodes;
using K8sHost.E2E.Tests.Compat;
using K8sHost.E2E.Tests.Infrastructure;
using Xunit;

namespace K8sHost.E2E.Tests.Helm;

/// <summary>
/// helm v4 with a chart of a ConfigMap, a Secret, a Service and a Pod against the real server process: install
/// (server-side apply by default), list, status, upgrade, history, rollback, uninstall, client-side install, and the
/// release Secrets helm stores through the typed (protobuf) client.
/// </summary>
[Collection("kubectl")]
public sealed class HelmCompatTests(ServerFixture fx) : IClassFixture<ServerFixture>, IDisposable
{
    private readonly Infrastructure.Kubectl k = fx.Kubectl;
    private readonly HelmCli helm = new(fx.Server);

    public void Dispose() => helm.Dispose();

    private async Task<(string Ns, string Release)> InstallAsync(string prefix, string extra = "")
    {
        var ns = await CompatKit.NewNamespaceAsync(k, prefix);
        var release = CompatKit.UniqueName("rel");
        await helm.OkAsync($"install {release} {HelmCli.ChartPath} -n {ns} {extra}".TrimEnd());
        return (ns, release);
    }

    private async Task<string> ConfigMapGreetingAsync(string ns, string release)
        => (await k.OkAsync($"get configmap {release}-cfg -n {ns} -o jsonpath={{.data.greeting}}")).Trim();

    private async Task<string> SecretPasswordAsync(string ns, string release)
    {
        var b64 = (await k.OkAsync($"get secret {release}-secret -n {ns} -o jsonpath={{.data.password}}")).Trim();
        return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(b64));
    }

    [Fact]
    public async Task Install_ServerSideByDefault_CreatesAllFourObjectsOwnedByHelm()
    {
        var ns = await CompatKit.NewNamespaceAsync(k, "helminst");
        var release = CompatKit.UniqueName("rel");
        var output = await helm.OkAsync($"install {release} {HelmCli.ChartPath} -n {ns}");
        Assert.Contains($"NAME: {release}", output);
        Assert.Contains($"NAMESPACE: {ns}", output);
        Assert.Contains("STATUS: deployed", output);
        Assert.Contains("REVISION: 1", output);

        var names = (await k.OkAsync($"get configmaps,secrets,services,pods -n {ns} -l app.kubernetes.io/managed-by=Helm -o name"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
            new[] { $"configmap/{release}-cfg", $"pod/{release}-pod", $"secret/{release}-secret", $"service/{release}-svc" },
            names.Order().ToArray());
        Assert.Equal("hello", await ConfigMapGreetingAsync(ns, release));
        var cm = await CompatKit.GetJsonAsync(k, $"configmap {release}-cfg -n {ns}");
        Assert.Equal(release, cm["metadata"]!["annotations"]!["meta.helm.sh/release-name"]!.GetValue<string>());
        Assert.Equal(ns, cm["metadata"]!["annotations"]!["meta.helm.sh/release-namespace"]!.GetValue<string>());
        // helm 4 applies with fieldManager=helm (apply-patch+yaml); the server records it as an Apply manager.
        Assert.Contains(("helm", "Apply"), await CompatKit.ManagersAsync(k, $"configmap {release}-cfg -n {ns}"));
        // stringData in the chart is folded into data by the server.
        Assert.Equal("hello-pw", await SecretPasswordAsync(ns, release));
    }

    [Fact]
    public async Task ListAndStatus_ShowTheDeployedRelease_InItsNamespaceAndAcrossAll()
    {
        var (ns, release) = await InstallAsync("helmlist");
        var list = await helm.OkAsync($"list -n {ns}");
        Assert.Matches(@"NAME\s+NAMESPACE\s+REVISION\s+UPDATED\s+STATUS\s+CHART\s+APP VERSION", list);
        Assert.Matches($@"(?m)^{release}\s+{ns}\s+1\s+.+\s+deployed\s+compat-0\.1\.0\s+1\.0\s*$", list);
        var all = await helm.OkAsync("list -A");
        Assert.Matches($@"(?m)^{release}\s+{ns}\s+1\s+.+\s+deployed\s+compat-0\.1\.0\s+1\.0\s*$", all);
        var elsewhere = await helm.OkAsync("list -n default");
        Assert.DoesNotContain(release, elsewhere);
        var status = await helm.OkAsync($"status {release} -n {ns}");
        Assert.Contains($"NAME: {release}", status);
        Assert.Contains("STATUS: deployed", status);
        Assert.Contains("REVISION: 1", status);
        // status -o json carries the live objects, fetched one by one with includeObject=Object.
        var resources = JsonNode.Parse(await helm.OkAsync($"status {release} -n {ns} -o json"))!["info"]!["resources"]!;
        foreach (var (gvk, name) in new[] { ("v1/ConfigMap", "cfg"), ("v1/Secret", "secret"), ("v1/Service", "svc"), ("v1/Pod", "pod") })
        {
            var objects = resources[gvk]!.AsArray();
            Assert.Single(objects);
            Assert.Equal($"{release}-{name}", objects[0]!["metadata"]!["name"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task UpgradeHistoryRollback_TrackRevisionsAndRestoreValues()
    {
        var (ns, release) = await InstallAsync("helmupg");
        var upgraded = await helm.OkAsync($"upgrade {release} {HelmCli.ChartPath} -n {ns} --set greeting=bye --set image=nginx:1.28");
        Assert.Contains($"Release \"{release}\" has been upgraded.", upgraded);
        Assert.Equal("bye", await ConfigMapGreetingAsync(ns, release));
        Assert.Equal("bye-pw", await SecretPasswordAsync(ns, release));
        Assert.Equal("nginx:1.28", await CompatKit.ImageOfAsync(k, $"{release}-pod", ns));

        var history = await helm.OkAsync($"history {release} -n {ns}");
        Assert.Matches(@"REVISION\s+UPDATED\s+STATUS\s+CHART\s+APP VERSION\s+DESCRIPTION", history);
        Assert.Matches(@"(?m)^1\s+.+\s+superseded\s+compat-0\.1\.0\s+1\.0\s+Install complete\s*$", history);
        Assert.Matches(@"(?m)^2\s+.+\s+deployed\s+compat-0\.1\.0\s+1\.0\s+Upgrade complete\s*$", history);
        Assert.Equal(3, history.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        Assert.Contains("Rollback was a success!", await helm.OkAsync($"rollback {release} 1 -n {ns}"));
        Assert.Equal("hello", await ConfigMapGreetingAsync(ns, release));
        Assert.Equal("hello-pw", await SecretPasswordAsync(ns, release));
        Assert.Equal("nginx:1.27", await CompatKit.ImageOfAsync(k, $"{release}-pod", ns));
        var after = await helm.OkAsync($"history {release} -n {ns}");
        Assert.Matches(@"(?m)^2\s+.+\s+superseded\s+", after);
        Assert.Matches(@"(?m)^3\s+.+\s+deployed\s+compat-0\.1\.0\s+1\.0\s+Rollback to 1\s*$", after);
    }

    [Fact]
    public async Task Uninstall_RemovesTheObjectsAndTheReleaseSecrets()
    {
        var (ns, release) = await InstallAsync("helmun");
        await helm.OkAsync($"upgrade {release} {HelmCli.ChartPath} -n {ns} --set greeting=bye");
        Assert.Contains($"release \"{release}\" uninstalled", await helm.OkAsync($"uninstall {release} -n {ns}"));
        var left = await k.RunAsync($"get configmaps,secrets,services,pods -n {ns} -l app.kubernetes.io/managed-by=Helm -o name");
        Assert.True(left.ExitCode == 0, left.ToString());
        Assert.Equal("", left.StdOut.Trim());
        var records = await k.RunAsync($"get secrets -n {ns} -l owner=helm,name={release} -o name");
        Assert.True(records.ExitCode == 0, records.ToString());
        Assert.Equal("", records.StdOut.Trim());
        Assert.DoesNotContain(release, await helm.OkAsync($"list -n {ns}"));
        Assert.DoesNotContain(release, await helm.OkAsync($"list -n {ns} --uninstalled --uninstalling"));
    }

    [Fact]
    public async Task InstallWithServerSideFalse_CreatesTheObjectsWithClientSideRequests()
    {
        var (ns, release) = await InstallAsync("helmcsa", "--server-side=false");
        Assert.Equal("hello", await ConfigMapGreetingAsync(ns, release));
        Assert.Equal($"pod/{release}-pod", (await k.OkAsync($"get pods -n {ns} -o name")).Trim());
        Assert.Matches($@"(?m)^{release}\s+{ns}\s+1\s+.+\s+deployed\s+", await helm.OkAsync($"list -n {ns}"));
        Assert.Contains(("helm", "Update"), await CompatKit.ManagersAsync(k, $"configmap {release}-cfg -n {ns}"));
        var record = HelmReleaseRecord.Decode(await CompatKit.GetJsonAsync(k, $"secret sh.helm.release.v1.{release}.v1 -n {ns}"));
        Assert.Equal("csa", record["apply_method"]!.GetValue<string>());
        // A client-side upgrade goes through a 3-way strategic merge patch.
        await helm.OkAsync($"upgrade {release} {HelmCli.ChartPath} -n {ns} --server-side=false --set greeting=bye");
        Assert.Equal("bye", await ConfigMapGreetingAsync(ns, release));
    }

    [Fact]
    public async Task ReleaseSecret_RoundTripsByteExact_AndDecodesToTheRelease()
    {
        var (ns, release) = await InstallAsync("helmrec");
        var secret = await CompatKit.GetJsonAsync(k, $"secret sh.helm.release.v1.{release}.v1 -n {ns}");
        Assert.Equal("helm.sh/release.v1", secret["type"]!.GetValue<string>());
        var labels = secret["metadata"]!["labels"]!;
        Assert.Equal("helm", labels["owner"]!.GetValue<string>());
        Assert.Equal(release, labels["name"]!.GetValue<string>());
        Assert.Equal("deployed", labels["status"]!.GetValue<string>());
        Assert.Equal("1", labels["version"]!.GetValue<string>());

        // gzip carries a CRC-32 and the length of its content: a single changed byte fails the decode.
        var record = HelmReleaseRecord.Decode(secret);
        Assert.Equal(release, record["name"]!.GetValue<string>());
        Assert.Equal(ns, record["namespace"]!.GetValue<string>());
        Assert.Equal(1, record["version"]!.GetValue<int>());
        Assert.Equal("deployed", record["info"]!["status"]!.GetValue<string>());
        Assert.Equal("ssa", record["apply_method"]!.GetValue<string>());
        var manifest = record["manifest"]!.GetValue<string>();
        foreach (var kind in new[] { "ConfigMap", "Secret", "Service", "Pod" })
            Assert.Contains($"kind: {kind}\n", manifest);
        // helm reads the same record back through its own typed client.
        Assert.Equal(manifest.Trim(), (await helm.OkAsync($"get manifest {release} -n {ns}")).Trim());
    }

    [Fact]
    public async Task InstallWithWait_ReturnsOnceThePodReportsReady()
    {
        var ns = await CompatKit.NewNamespaceAsync(k, "helmwait");
        var release = CompatKit.UniqueName("rel");
        // helm's watcher opens WatchList streams per kind and waits until kstatus calls every object Current.
        var installing = helm.RunAsync($"install {release} {HelmCli.ChartPath} -n {ns} --wait=watcher --timeout 40s", TimeSpan.FromSeconds(60));
        var pod = $"{release}-pod";
        for (var i = 0; i < 100 && !installing.IsCompleted; i++)
        {
            if ((await k.RunAsync($"get pod {pod} -n {ns} -o name")).ExitCode == 0) break;
            await Task.Delay(200);
        }
        Assert.False(installing.IsCompleted, $"helm returned before the pod was Ready:\n{(installing.IsCompleted ? installing.Result : null)}");
        await k.OkAsync($"patch pod {pod} -n {ns} --subresource=status --type=merge -p '" +
            "{\"status\":{\"phase\":\"Running\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"},{\"type\":\"ContainersReady\",\"status\":\"True\"}]}}'");
        var r = await installing;
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("STATUS: deployed", r.StdOut);
    }
}
