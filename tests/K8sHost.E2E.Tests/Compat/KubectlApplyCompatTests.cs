using K8sHost.E2E.Tests.Infrastructure;
using Xunit;
using static K8sHost.E2E.Tests.Compat.CompatKit;

namespace K8sHost.E2E.Tests.Compat;

/// <summary>
/// kubectl apply (client-side and server-side) and diff, with the real kubectl against the real server process.
/// Expected texts are what kubectl prints against kube-apiserver v1.35.
/// </summary>
[Collection("kubectl")]
public sealed class KubectlApplyCompatTests(ServerFixture fx) : IClassFixture<ServerFixture>
{
    private readonly Infrastructure.Kubectl k = fx.Kubectl;

    [Fact]
    public async Task ApplyThreeTimes_PrintsCreatedThenConfiguredThenUnchanged()
    {
        var ns = await NewNamespaceAsync(k, "apply3");
        Assert.Contains("pod/web created", await k.OkAsync("apply -f -", Pod("web", ns)));
        Assert.Contains("pod/web configured", await k.OkAsync("apply -f -", Pod("web", ns, image: "nginx:1.28")));
        Assert.Equal("nginx:1.28", await ImageOfAsync(k, "web", ns));
        // kubectl prints "unchanged" only when its 3-way strategic merge patch is empty, which needs the
        // x-kubernetes-patch-merge-key/-strategy extensions in OpenAPI v3 (else containers look like an atomic list).
        Assert.Contains("pod/web unchanged", await k.OkAsync("apply -f -", Pod("web", ns, image: "nginx:1.28")));
    }

    [Fact]
    public async Task ApplyConfigMapThreeTimes_PrintsCreatedThenConfiguredThenUnchanged()
    {
        // No lists involved: the 3-way patch is empty on the third run whatever the OpenAPI merge metadata says.
        var ns = await NewNamespaceAsync(k, "applycm");
        string Cm(string v) => $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n  namespace: {ns}\ndata:\n  greeting: \"{v}\"\n";
        Assert.Contains("configmap/cfg created", await k.OkAsync("apply -f -", Cm("hello")));
        Assert.Contains("configmap/cfg configured", await k.OkAsync("apply -f -", Cm("bye")));
        Assert.Contains("configmap/cfg unchanged", await k.OkAsync("apply -f -", Cm("bye")));
        Assert.Equal("bye", (await k.OkAsync($"get configmap cfg -n {ns} -o jsonpath={{.data.greeting}}")).Trim());
    }

    [Fact]
    public async Task ApplyAfterImageChange_SendsStrategicMergeThatKeepsServerDefaults()
    {
        var ns = await NewNamespaceAsync(k, "applysmp");
        await k.OkAsync("apply -f -", Pod("web", ns));
        await k.OkAsync("apply -f -", Pod("web", ns, image: "nginx:1.28"));
        var pod = await GetJsonAsync(k, $"pod web -n {ns}");
        var container = pod["spec"]!["containers"]![0]!;
        Assert.Equal("nginx:1.28", container["image"]!.GetValue<string>());
        // Defaults the server filled in at create time survive the merge by name.
        Assert.Equal("IfNotPresent", container["imagePullPolicy"]!.GetValue<string>());
        Assert.Equal("TCP", container["ports"]![0]!["protocol"]!.GetValue<string>());
        Assert.Contains("nginx:1.28", pod["metadata"]!["annotations"]!["kubectl.kubernetes.io/last-applied-configuration"]!.GetValue<string>());
    }

    private static string TwoPortService(string ns, bool withHttps) => $"""
        apiVersion: v1
        kind: Service
        metadata:
          name: web
          namespace: {ns}
        spec:
          selector:
            app: web
          ports:
          - name: http
            port: 80
        """ + (withHttps ? "\n  - name: https\n    port: 443\n" : "\n");

    [Fact]
    public async Task ApplyWithAPortRemovedFromTheManifest_RemovesItFromTheService()
    {
        var ns = await NewNamespaceAsync(k, "applyrm");
        await k.OkAsync("apply -f -", TwoPortService(ns, withHttps: true));
        Assert.Contains("service/web configured", await k.OkAsync("apply -f -", TwoPortService(ns, withHttps: false)));
        // The 3-way patch must carry {"$patch":"delete","port":443}; kubectl only writes it when OpenAPI v3 marks
        // ServiceSpec.ports as merge list with key "port". Sent as a plain list, the server merges and keeps 443.
        Assert.Matches(@"(?m)^web\s+ClusterIP\s+10\.96\.\d+\.\d+\s+<none>\s+80/TCP\s+", await k.OkAsync($"get svc web -n {ns}"));
    }

    [Fact]
    public async Task ServerSideApplyWithAPortRemovedFromTheManifest_RemovesItFromTheService()
    {
        var ns = await NewNamespaceAsync(k, "ssarm");
        await k.OkAsync("apply --server-side -f -", TwoPortService(ns, withHttps: true));
        Assert.Contains("service/web serverside-applied", await k.OkAsync("apply --server-side -f -", TwoPortService(ns, withHttps: false)));
        Assert.Matches(@"(?m)^web\s+ClusterIP\s+10\.96\.\d+\.\d+\s+<none>\s+80/TCP\s+", await k.OkAsync($"get svc web -n {ns}"));
    }

    [Fact]
    public async Task ClientSideApply_RecordsItsUpdateManagerInManagedFields()
    {
        var ns = await NewNamespaceAsync(k, "csamf");
        await k.OkAsync("apply -f -", Pod("web", ns));
        // kube-apiserver tracks every write's manager: a create by client-side apply is an Update by
        // "kubectl-client-side-apply". kubectl's CSA→SSA migration relies on finding that entry.
        Assert.Contains(("kubectl-client-side-apply", "Update"), await ManagersAsync(k, $"pod web -n {ns}"));
    }

    [Fact]
    public async Task ServerSideApply_CreatesThenUpdates_WithKubectlAsApplyManager()
    {
        var ns = await NewNamespaceAsync(k, "ssa");
        Assert.Contains("pod/web serverside-applied", await k.OkAsync("apply --server-side -f -", Pod("web", ns)));
        Assert.Contains(("kubectl", "Apply"), await ManagersAsync(k, $"pod web -n {ns}"));
        Assert.Contains("pod/web serverside-applied", await k.OkAsync("apply --server-side -f -", Pod("web", ns, image: "nginx:1.28")));
        Assert.Equal("nginx:1.28", await ImageOfAsync(k, "web", ns));
    }

    [Fact]
    public async Task ServerSideApply_ByAnotherManagerOnAnOwnedField_ReportsTheConflict()
    {
        var ns = await NewNamespaceAsync(k, "ssaconf");
        await k.OkAsync("apply --server-side -f -", Pod("web", ns));
        var r = await k.RunAsync("apply --server-side --field-manager=other -f -", Pod("web", ns, image: "nginx:1.28"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("Apply failed with 1 conflict: conflict with \"kubectl\": .spec.containers[name=\"nginx\"].image", r.StdErr);
        Assert.Equal("nginx:1.27", await ImageOfAsync(k, "web", ns));
        Assert.Contains("pod/web serverside-applied",
            await k.OkAsync("apply --server-side --field-manager=other --force-conflicts -f -", Pod("web", ns, image: "nginx:1.28")));
        Assert.Equal("nginx:1.28", await ImageOfAsync(k, "web", ns));
    }

    [Fact]
    public async Task ServerSideApply_OverAClientSideAppliedObject_TakesOverAndKeepsLastAppliedCurrent()
    {
        var ns = await NewNamespaceAsync(k, "ssaovercsa");
        await k.OkAsync("apply -f -", Pod("web", ns));
        Assert.Contains("pod/web serverside-applied", await k.OkAsync("apply --server-side -f -", Pod("web", ns, image: "nginx:1.29")));
        Assert.Equal("nginx:1.29", await ImageOfAsync(k, "web", ns));
        var managers = await ManagersAsync(k, $"pod web -n {ns}");
        Assert.Contains(("kubectl", "Apply"), managers);
        // kubectl's second PATCH (fieldManager=kubectl-last-applied) hands the annotation to an Apply manager.
        Assert.Contains(("kubectl-last-applied", "Apply"), managers);
        // kube-apiserver rewrites last-applied-configuration on every apply by manager "kubectl" when the annotation
        // exists, so a later client-side apply computes its 3-way patch against what was really applied.
        var pod = await GetJsonAsync(k, $"pod web -n {ns}");
        Assert.Contains("nginx:1.29", pod["metadata"]!["annotations"]!["kubectl.kubernetes.io/last-applied-configuration"]!.GetValue<string>());
    }

    [Fact]
    public async Task Diff_ShowsTheImageChange_ExitsOne_AndStoresNothing()
    {
        var ns = await NewNamespaceAsync(k, "diff");
        await k.OkAsync("apply -f -", Pod("web", ns));
        var rv = (await GetJsonAsync(k, $"pod web -n {ns}"))["metadata"]!["resourceVersion"]!.GetValue<string>();
        var r = await k.RunAsync("diff -f -", Pod("web", ns, image: "nginx:1.28"));
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Contains("diff -u -N", r.StdOut);
        Assert.Contains($"v1.Pod.{ns}.web", r.StdOut);
        Assert.Contains("-  - image: nginx:1.27", r.StdOut);
        Assert.Contains("+  - image: nginx:1.28", r.StdOut);
        // dryRun=All: the live object is untouched.
        Assert.Equal("nginx:1.27", await ImageOfAsync(k, "web", ns));
        Assert.Equal(rv, (await GetJsonAsync(k, $"pod web -n {ns}"))["metadata"]!["resourceVersion"]!.GetValue<string>());
        var same = await k.RunAsync("diff -f -", Pod("web", ns));
        Assert.True(same.ExitCode == 0, same.ToString());
        Assert.Equal("", same.StdOut.Trim());
    }

    [Fact]
    public async Task DiffServerSide_ShowsTheImageChange_ExitsOne_AndStoresNothing()
    {
        var ns = await NewNamespaceAsync(k, "ssadiff");
        await k.OkAsync("apply --server-side -f -", Pod("web", ns));
        var r = await k.RunAsync("diff --server-side -f -", Pod("web", ns, image: "nginx:1.28"));
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Contains("-  - image: nginx:1.27", r.StdOut);
        Assert.Contains("+  - image: nginx:1.28", r.StdOut);
        Assert.Equal("nginx:1.27", await ImageOfAsync(k, "web", ns));
        var same = await k.RunAsync("diff --server-side -f -", Pod("web", ns));
        Assert.True(same.ExitCode == 0, same.ToString());
    }

    [Fact]
    public async Task DiffForAMissingObject_ShowsItAsNew()
    {
        var ns = await NewNamespaceAsync(k, "diffnew");
        var r = await k.RunAsync("diff -f -", Pod("web", ns));
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Contains("+  name: web", r.StdOut);
        var get = await k.RunAsync($"get pod web -n {ns}");
        Assert.Contains("Error from server (NotFound): pods \"web\" not found", get.StdErr);
    }
}
