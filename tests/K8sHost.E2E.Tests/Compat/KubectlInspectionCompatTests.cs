using System.Globalization;
using K8sHost.E2E.Tests.Infrastructure;
using Xunit;
using static K8sHost.E2E.Tests.Compat.CompatKit;

namespace K8sHost.E2E.Tests.Compat;

/// <summary>kubectl describe, explain, cluster-info, get all and get --sort-by against the real server process.</summary>
[Collection("kubectl")]
public sealed class KubectlInspectionCompatTests(ServerFixture fx) : IClassFixture<ServerFixture>
{
    private readonly Infrastructure.Kubectl k = fx.Kubectl;

    private static string Now() => DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    /// <summary>A core/v1 Event about an object, created through the events API as a kubelet would.</summary>
    private async Task CreateEventAsync(string ns, string name, string kind, string objName, string uid, string reason, string message)
        => await k.OkAsync("create -f -", $$"""
            {"apiVersion":"v1","kind":"Event","metadata":{"name":"{{name}}","namespace":"{{ns}}"},
             "involvedObject":{"apiVersion":"v1","kind":"{{kind}}","name":"{{objName}}","namespace":"{{ns}}","uid":"{{uid}}"},
             "reason":"{{reason}}","message":"{{message}}","type":"Normal","source":{"component":"kubelet"},
             "firstTimestamp":"{{Now()}}","lastTimestamp":"{{Now()}}","count":1}
            """);

    [Fact]
    public async Task DescribePod_ShowsSpecAndTheEventCreatedForIt()
    {
        var ns = await NewNamespaceAsync(k, "descpod");
        await k.OkAsync("apply -f -", Pod("web", ns));
        var uid = (await GetJsonAsync(k, $"pod web -n {ns}"))["metadata"]!["uid"]!.GetValue<string>();
        await CreateEventAsync(ns, "web.e2e1", "Pod", "web", uid, "Pulled", "Container image nginx:1.27 pulled by e2e");
        // An event for another object must not show up (describe filters by involvedObject name+namespace+uid).
        await CreateEventAsync(ns, "other.e2e1", "Pod", "other", Guid.NewGuid().ToString(), "Killing", "not about web");
        var output = await k.OkAsync($"describe pod web -n {ns}");
        Assert.Matches(@"(?m)^Name:\s+web$", output);
        Assert.Matches($@"(?m)^Namespace:\s+{ns}$", output);
        Assert.Matches(@"(?m)^Labels:\s+app=web$", output);
        Assert.Matches(@"(?m)^Status:\s+Pending$", output);
        Assert.Matches(@"(?m)^\s+Image:\s+nginx:1\.27$", output);
        Assert.Matches(@"(?m)^\s+Port:\s+80/TCP$", output);
        Assert.Matches(@"(?m)^QoS Class:\s+BestEffort$", output);
        Assert.Matches(@"(?m)^Events:\s*$", output);
        Assert.Matches(@"(?m)^\s+Type\s+Reason\s+Age\s+From\s+Message$", output);
        Assert.Matches(@"(?m)^\s+Normal\s+Pulled\s+\d+s\s+kubelet\s+Container image nginx:1\.27 pulled by e2e$", output);
        Assert.DoesNotContain("not about web", output);
    }

    [Fact]
    public async Task DescribePod_ShowsAnEventCreatedThroughEventsK8sIoV1()
    {
        var ns = await NewNamespaceAsync(k, "descev1");
        await k.OkAsync("apply -f -", Pod("web", ns));
        var uid = (await GetJsonAsync(k, $"pod web -n {ns}"))["metadata"]!["uid"]!.GetValue<string>();
        var eventTime = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture);
        await k.OkAsync("create -f -", $$$"""
            {"apiVersion":"events.k8s.io/v1","kind":"Event","metadata":{"name":"web.e2e2","namespace":"{{{ns}}}"},
             "eventTime":"{{{eventTime}}}","reportingController":"e2e.io/scheduler","reportingInstance":"e2e-1",
             "action":"Binding","reason":"Scheduled","note":"Successfully assigned {{{ns}}}/web","type":"Normal",
             "regarding":{"apiVersion":"v1","kind":"Pod","name":"web","namespace":"{{{ns}}}","uid":"{{{uid}}}"}}
            """);
        // kube-apiserver stores one Event resource and serves it as core/v1 and events.k8s.io/v1, so an event
        // written through the new API shows up in `get events` (core/v1) and in describe.
        Assert.Matches(@"(?m)^\d+s\s+Normal\s+Scheduled\s+pod/web\s+Successfully assigned", await k.OkAsync($"get events -n {ns}"));
        var output = await k.OkAsync($"describe pod web -n {ns}");
        Assert.Matches($@"(?m)^\s+Normal\s+Scheduled\s+\d+s\s+e2e\.io/scheduler\s+Successfully assigned {ns}/web$", output);
    }

    [Fact]
    public async Task DescribeService_ShowsTypeIpPortsAndSelector()
    {
        var ns = await NewNamespaceAsync(k, "descsvc");
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
              - name: http
                port: 80
                targetPort: 8080
            """);
        var output = await k.OkAsync($"describe service web -n {ns}");
        Assert.Matches(@"(?m)^Name:\s+web$", output);
        Assert.Matches(@"(?m)^Selector:\s+app=web$", output);
        Assert.Matches(@"(?m)^Type:\s+ClusterIP$", output);
        Assert.Matches(@"(?m)^IP:\s+10\.96\.\d+\.\d+$", output);
        Assert.Matches(@"(?m)^Port:\s+http\s+80/TCP$", output);
        Assert.Matches(@"(?m)^TargetPort:\s+8080/TCP$", output);
        Assert.Matches(@"(?m)^Session Affinity:\s+None$", output);
        Assert.Matches(@"(?m)^Events:\s+<none>$", output);
    }

    [Fact]
    public async Task DescribeNode_ListsThePodsBoundToIt()
    {
        var ns = await NewNamespaceAsync(k, "descnode");
        var node = await NodeOps.CreateReadyNodeAsync(k);
        await k.OkAsync("apply -f -", Pod("web", ns));
        await NodeOps.BindAsync(k, ns, "web", node);
        var output = await k.OkAsync($"describe node {node}");
        Assert.Matches($@"(?m)^Name:\s+{node}$", output);
        Assert.Matches(@"(?m)^Unschedulable:\s+false$", output);
        Assert.Matches(@"(?m)^\s+Ready\s+True\s+", output);
        Assert.Matches(@"(?m)^Non-terminated Pods:\s+\(1 in total\)$", output);
        Assert.Matches($@"(?m)^\s+{ns}\s+web\s+0 \(0%\)\s+0 \(0%\)\s+0 \(0%\)\s+0 \(0%\)\s+\S+$", output);
    }

    [Fact]
    public async Task Explain_PrintsFieldDocumentationFromOpenApiV3()
    {
        var field = await k.OkAsync("explain pod.spec.containers.image");
        Assert.Contains("KIND:       Pod", field);
        Assert.Contains("VERSION:    v1", field);
        Assert.Contains("FIELD: image <string>", field);
        Assert.Contains("Container image name.", field);
        var svc = await k.OkAsync("explain svc.spec.type");
        Assert.Contains("KIND:       Service", svc);
        Assert.Contains("FIELD: type <string>", svc);
    }

    [Fact]
    public async Task ClusterInfo_PrintsTheControlPlaneUrl()
    {
        var output = await k.OkAsync("cluster-info");
        Assert.Contains($"Kubernetes control plane is running at {fx.Server.BaseUrl}", output);
    }

    [Fact]
    public async Task GetAll_ListsPodsAndServicesWithKindPrefixes()
    {
        var ns = await NewNamespaceAsync(k, "getall");
        await k.OkAsync("apply -f -", Pod("web", ns));
        await k.OkAsync("apply -f -", $"apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: {ns}\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n");
        var output = await k.OkAsync($"get all -n {ns}");
        Assert.Matches(@"(?m)^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$", output);
        Assert.Matches(@"(?m)^pod/web\s+0/1\s+Pending\s+0\s+\S+$", output);
        Assert.Matches(@"(?m)^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE$", output);
        Assert.Matches(@"(?m)^service/web\s+ClusterIP\s+10\.96\.\d+\.\d+\s+<none>\s+80/TCP\s+\S+$", output);
    }

    [Fact]
    public async Task GetSortBy_OrdersRowsByAFieldOfTheFullObject()
    {
        var ns = await NewNamespaceAsync(k, "sortby");
        await k.OkAsync("apply -f -", string.Join("\n---\n",
            Pod("c", ns, image: "nginx:1.25"), Pod("a", ns, image: "nginx:1.27"), Pod("b", ns, image: "nginx:1.26")));
        var byName = await k.OkAsync($"get pods -n {ns} --sort-by=.metadata.name");
        Assert.Equal(["a", "b", "c"], FirstColumn(byName));
        // The image is in spec, so this needs full row objects (includeObject=Object), not PartialObjectMetadata.
        var byImage = await k.OkAsync($"get pods -n {ns} --sort-by=.spec.containers[0].image");
        Assert.Equal(["c", "b", "a"], FirstColumn(byImage));
    }

    [Fact]
    public async Task GetEventsSortByLastTimestamp_ListsOldestFirst()
    {
        var ns = await NewNamespaceAsync(k, "evsort");
        var start = DateTime.UtcNow.AddMinutes(-30);
        // Created out of order on purpose: 3, 1, 2.
        foreach (var i in new[] { 3, 1, 2 })
        {
            var at = start.AddMinutes(i).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            await k.OkAsync("create -f -", $$"""
                {"apiVersion":"v1","kind":"Event","metadata":{"name":"ev-{{i}}","namespace":"{{ns}}"},
                 "involvedObject":{"apiVersion":"v1","kind":"Pod","name":"p{{i}}","namespace":"{{ns}}"},
                 "reason":"Reason{{i}}","message":"message {{i}}","type":"Normal","source":{"component":"kubelet"},
                 "firstTimestamp":"{{at}}","lastTimestamp":"{{at}}","count":1}
                """);
        }
        var output = await k.OkAsync($"get events -n {ns} --sort-by=.lastTimestamp");
        Assert.Matches(@"(?m)^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$", output);
        var reasons = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2]).ToArray();
        Assert.Equal(["Reason1", "Reason2", "Reason3"], reasons);
        Assert.Matches(@"(?m)^29m\s+Normal\s+Reason1\s+pod/p1\s+message 1$", output);
    }

    private static string[] FirstColumn(string table) => table
        .Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Skip(1)
        .Select(l => l.Split(' ', 2)[0])
        .ToArray();
}
