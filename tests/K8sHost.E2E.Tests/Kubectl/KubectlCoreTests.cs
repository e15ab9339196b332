using System.Text.Json.Nodes;
using K8sHost.E2E.Tests.Infrastructure;
using Xunit;

namespace K8sHost.E2E.Tests.Kubectl;

/// <summary>The real kubectl v1.35 against the real server process over verified TLS with the written kubeconfig.</summary>
[Collection("kubectl")]
public sealed class KubectlCoreTests(ServerFixture fx) : IClassFixture<ServerFixture>
{
    private readonly Infrastructure.Kubectl k = fx.Kubectl;

    private async Task<string> NewNamespaceAsync(string prefix)
    {
        var ns = $"{prefix}-{Guid.NewGuid().ToString("N")[..6]}";
        // JSON body on purpose: `kubectl create namespace` (protobuf) is covered by the compatibility tests.
        await k.OkAsync("apply -f -", $"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n");
        return ns;
    }

    private static string Pod(string name, string ns, string image = "nginx:1.27", string labels = "app: web") => $"""
        apiVersion: v1
        kind: Pod
        metadata:
          name: {name}
          namespace: {ns}
          labels:
            {labels}
        spec:
          containers:
          - name: nginx
            image: {image}
            ports:
            - containerPort: 80
        """;

    [Fact]
    public async Task Version_PrintsServerVersion135()
    {
        var output = await k.OkAsync("version");
        Assert.Contains("Server Version: v1.35", output);
    }

    [Fact]
    public async Task ApiResources_ListsCoreKindsWithShortNames()
    {
        var output = await k.OkAsync("api-resources");
        Assert.Matches(@"pods\s+po\s+v1\s+true\s+Pod", output);
        Assert.Matches(@"services\s+svc\s+v1\s+true\s+Service", output);
        Assert.Matches(@"nodes\s+no\s+v1\s+false\s+Node", output);
        Assert.Matches(@"namespaces\s+ns\s+v1\s+false\s+Namespace", output);
    }

    [Fact]
    public async Task GetNamespaces_ShowsSystemNamespacesActive()
    {
        var output = await k.OkAsync("get ns");
        Assert.Matches(@"NAME\s+STATUS\s+AGE", output);
        foreach (var ns in new[] { "default", "kube-system", "kube-public", "kube-node-lease" })
            Assert.Matches($@"(?m)^{ns}\s+Active\s+", output);
    }

    [Fact]
    public async Task ApplyNewPod_CreatesIt_AndGetShowsTableColumns()
    {
        var ns = await NewNamespaceAsync("apply");
        var output = await k.OkAsync("apply -f -", Pod("web", ns));
        Assert.Contains("pod/web created", output);
        var table = await k.OkAsync($"get pods -n {ns}");
        Assert.Matches(@"NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE", table);
        Assert.Matches(@"(?m)^web\s+0/1\s+Pending\s+0\s+", table);
        var wide = await k.OkAsync($"get pods -n {ns} -o wide");
        Assert.Matches(@"NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES", wide);
        var json = JsonNode.Parse(await k.OkAsync($"get pod web -n {ns} -o json"))!;
        Assert.NotNull(json["metadata"]!["annotations"]!["kubectl.kubernetes.io/last-applied-configuration"]);
    }

    [Fact]
    public async Task CreateFromFile_WithUnknownField_IsRefusedUnderStrict_AndNothingIsStored()
    {
        var ns = await NewNamespaceAsync("strict");
        var bad = Pod("bad", ns).Replace("    image: nginx:1.27", "    image: nginx:1.27\n    bogusField: 1");
        var r = await k.RunAsync("create -f -", bad);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("unknown field \"spec.containers[0].bogusField\"", r.StdErr);
        var get = await k.RunAsync($"get pod bad -n {ns}");
        Assert.Contains("NotFound", get.StdErr);
    }

    [Fact]
    public async Task CreateTwice_ReportsAlreadyExists()
    {
        var ns = await NewNamespaceAsync("dup");
        await k.OkAsync("create -f -", Pod("web", ns));
        var r = await k.RunAsync("create -f -", Pod("web", ns));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("Error from server (AlreadyExists)", r.StdErr);
        Assert.Contains("pods \"web\" already exists", r.StdErr);
    }

    [Fact]
    public async Task Replace_UpdatesTheImage()
    {
        var ns = await NewNamespaceAsync("replace");
        await k.OkAsync("create -f -", Pod("web", ns));
        var output = await k.OkAsync("replace -f -", Pod("web", ns, image: "nginx:1.28"));
        Assert.Contains("pod/web replaced", output);
        Assert.Equal("nginx:1.28", (await k.OkAsync($"get pod web -n {ns} -o jsonpath={{.spec.containers[0].image}}")).Trim());
    }

    [Fact]
    public async Task GetOutputs_YamlJsonNameAllNamespacesAndSelectors()
    {
        var ns = await NewNamespaceAsync("outputs");
        await k.OkAsync("create -f -", Pod("a", ns, labels: "app: web"));
        await k.OkAsync("create -f -", Pod("b", ns, labels: "app: db"));
        Assert.Contains("kind: Pod", await k.OkAsync($"get pod a -n {ns} -o yaml"));
        var list = JsonNode.Parse(await k.OkAsync($"get pods -n {ns} -o json"))!;
        Assert.Equal(2, list["items"]!.AsArray().Count);
        Assert.Equal("pod/a\npod/b", (await k.OkAsync($"get pods -n {ns} -o name")).Trim());
        var all = await k.OkAsync("get pods -A");
        Assert.Matches($@"(?m)^{ns}\s+a\s+0/1\s+Pending", all);
        var labelled = await k.OkAsync($"get pods -n {ns} -l app=db -o name");
        Assert.Equal("pod/b", labelled.Trim());
        var fielded = await k.OkAsync($"get pods -n {ns} --field-selector metadata.name=a -o name");
        Assert.Equal("pod/a", fielded.Trim());
        var phase = await k.OkAsync($"get pods -n {ns} --field-selector status.phase=Pending -o name");
        Assert.Equal("pod/a\npod/b", phase.Trim());
    }

    [Fact]
    public async Task GetWithChunkSize_PagesThroughEverything()
    {
        var ns = await NewNamespaceAsync("chunks");
        var docs = string.Join("\n---\n", Enumerable.Range(0, 120).Select(i => $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i:D3}\n  namespace: {ns}\ndata:\n  i: \"{i}\""));
        await k.OkAsync("create -f -", docs, TimeSpan.FromSeconds(120));
        var names = (await k.OkAsync($"get configmaps -n {ns} --chunk-size=50 -o name")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(120, names.Length);
        Assert.Equal(120, names.Distinct().Count());
    }

    [Fact]
    public async Task LabelAnnotateAndPatch_MergeAndJson()
    {
        var ns = await NewNamespaceAsync("patch");
        await k.OkAsync("create -f -", Pod("web", ns));
        Assert.Contains("pod/web labeled", await k.OkAsync($"label pod web -n {ns} tier=fe"));
        Assert.Contains("pod/web annotated", await k.OkAsync($"annotate pod web -n {ns} note=hello"));
        Assert.Contains("pod/web patched", await k.OkAsync($"patch pod web -n {ns} --type=merge -p '{{\"metadata\":{{\"labels\":{{\"extra\":\"yes\"}}}}}}'"));
        Assert.Contains("pod/web patched", await k.OkAsync($"patch pod web -n {ns} --type=json -p '[{{\"op\":\"replace\",\"path\":\"/spec/containers/0/image\",\"value\":\"nginx:1.29\"}}]'"));
        var pod = JsonNode.Parse(await k.OkAsync($"get pod web -n {ns} -o json"))!;
        Assert.Equal("fe", pod["metadata"]!["labels"]!["tier"]!.GetValue<string>());
        Assert.Equal("yes", pod["metadata"]!["labels"]!["extra"]!.GetValue<string>());
        Assert.Equal("hello", pod["metadata"]!["annotations"]!["note"]!.GetValue<string>());
        Assert.Equal("nginx:1.29", pod["spec"]!["containers"]![0]!["image"]!.GetValue<string>());
        Assert.Contains("pod/web unlabeled", await k.OkAsync($"label pod web -n {ns} tier-"));
        var failed = await k.RunAsync($"patch pod web -n {ns} --type=json -p '[{{\"op\":\"test\",\"path\":\"/metadata/name\",\"value\":\"other\"}}]'");
        Assert.Equal(1, failed.ExitCode);
    }

    [Fact]
    public async Task Delete_WaitsUntilThePodIsGone()
    {
        var ns = await NewNamespaceAsync("delete");
        await k.OkAsync("create -f -", Pod("web", ns));
        var output = await k.OkAsync($"delete pod web -n {ns}", timeout: TimeSpan.FromSeconds(30));
        Assert.Contains("pod \"web\" deleted", output);
        var r = await k.RunAsync($"delete pod nosuch -n {ns}");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("Error from server (NotFound): pods \"nosuch\" not found", r.StdErr);
    }

    [Fact]
    public async Task Wait_ForConditionReady_ReturnsAfterStatusUpdate()
    {
        var ns = await NewNamespaceAsync("wait");
        await k.OkAsync("create -f -", Pod("web", ns));
        var waiting = k.RunAsync($"wait --for=condition=Ready pod/web -n {ns} --timeout=20s", timeout: TimeSpan.FromSeconds(30));
        await Task.Delay(1000);
        await k.OkAsync($"patch pod web -n {ns} --subresource=status --type=merge -p '{{\"status\":{{\"phase\":\"Running\",\"conditions\":[{{\"type\":\"Ready\",\"status\":\"True\"}}]}}}}'");
        var r = await waiting;
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("pod/web condition met", r.StdOut);
    }

    [Fact]
    public async Task GetWatch_PrintsEventsAsTheyHappen()
    {
        var ns = await NewNamespaceAsync("watch");
        await k.OkAsync("create -f -", Pod("web", ns));
        var watching = k.RunAsync($"get pods -n {ns} -w --output-watch-events --request-timeout=6s", timeout: TimeSpan.FromSeconds(30));
        await Task.Delay(2000);
        await k.OkAsync($"label pod web -n {ns} tier=fe");
        await k.OkAsync($"delete pod web -n {ns} --wait=false");
        var r = await watching;
        Assert.Matches(@"ADDED\s+web\s+0/1\s+Pending", r.StdOut);
        Assert.Matches(@"MODIFIED\s+web", r.StdOut);
        Assert.Matches(@"DELETED\s+web", r.StdOut);
    }

    [Fact]
    public async Task Explain_PodSpec_PrintsFieldDocumentation()
    {
        var output = await k.OkAsync("explain pod.spec");
        Assert.Contains("KIND:       Pod", output);
        Assert.Contains("containers", output);
    }

    [Fact]
    public async Task Services_GetAllocatedClusterIp_AndPortsColumn()
    {
        var ns = await NewNamespaceAsync("svc");
        await k.OkAsync("apply -f -", $"""
            apiVersion: v1
            kind: Service
            metadata:
              name: web
              namespace: {ns}
            spec:
              selector:
                app: web
              ports:
              - port: 80
                targetPort: 8080
            """);
        var table = await k.OkAsync($"get svc -n {ns}");
        Assert.Matches(@"NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE", table);
        Assert.Matches(@"(?m)^web\s+ClusterIP\s+10\.96\.\d+\.\d+\s+<none>\s+80/TCP\s+", table);
        var kube = await k.OkAsync("get svc kubernetes -n default");
        Assert.Matches(@"kubernetes\s+ClusterIP\s+10\.96\.0\.1\s+<none>\s+443/TCP", kube);
    }

    [Fact]
    public async Task Nodes_RegisterAndHeartbeat_ShowReadyStatus()
    {
        var name = $"node-{Guid.NewGuid().ToString("N")[..6]}";
        await k.OkAsync("create -f -", $"apiVersion: v1\nkind: Node\nmetadata:\n  name: {name}\n  labels:\n    node-role.kubernetes.io/worker: \"\"\n");
        await k.OkAsync($"patch node {name} --subresource=status --type=merge -p '{{\"status\":{{\"conditions\":[{{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"KubeletReady\"}}],\"nodeInfo\":{{\"kubeletVersion\":\"v1.35.0\"}}}}}}'");
        var table = await k.OkAsync($"get node {name}");
        Assert.Matches($@"(?m)^{name}\s+Ready\s+worker\s+\S+\s+v1\.35\.0", table);
    }
}
