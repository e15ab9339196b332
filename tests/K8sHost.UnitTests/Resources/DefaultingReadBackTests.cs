using System.Text.Json.Nodes;
using K8sHost.Registry.Catalog;
using K8sHost.Registry.Contracts;
using K8sHost.Registry.Generic;
using K8sHost.Resources;
using K8sHost.Resources.Services;
using K8sHost.Storage;
using K8sHost.UnitTests.Registry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace K8sHost.UnitTests.Resources;

/// <summary>
/// Objects created through the registry with the built-in kinds read back as kube-apiserver v1.35 returns them. Each
/// row is one upstream rule: a core/v1 (or discovery/v1) SetDefaults_* function, a declared `+default`, or a struct Go
/// always serializes; the row names the rule, the body omits the field, and the expectation is kube's value.
/// </summary>
public sealed class DefaultingReadBackTests
{
    private const string PodTemplate = """{"metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"nginx:1.27"XX}]}}""";

    private static readonly string Pod = PodWith("");

    private static string PodWith(string container) => PodTemplate.Replace("XX", container);

    private static string PodSpec(string spec) =>
        """{"metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"nginx:1.27"}],XX}}""".Replace("XX", spec.Replace('\'', '"'));

    public static TheoryData<string, string, string, string, string> Rules => new()
    {
        // rule, resource, body, path, expected JSON
        { "SetDefaults_PodSpec", "pods", Pod, "spec.dnsPolicy", "\"ClusterFirst\"" },
        { "SetDefaults_PodSpec", "pods", Pod, "spec.restartPolicy", "\"Always\"" },
        { "SetDefaults_PodSpec", "pods", Pod, "spec.terminationGracePeriodSeconds", "30" },
        { "SetDefaults_PodSpec", "pods", Pod, "spec.schedulerName", "\"default-scheduler\"" },
        { "SetDefaults_PodSpec", "pods", Pod, "spec.securityContext", "{}" },
        { "SetDefaults_Pod", "pods", Pod, "spec.enableServiceLinks", "true" },
        { "Priority admission", "pods", Pod, "spec.priority", "0" },
        { "SetDefaults_Container", "pods", Pod, "spec.containers[0].terminationMessagePath", "\"/dev/termination-log\"" },
        { "SetDefaults_Container", "pods", Pod, "spec.containers[0].terminationMessagePolicy", "\"File\"" },
        { "SetDefaults_Container: tag", "pods", Pod, "spec.containers[0].imagePullPolicy", "\"IfNotPresent\"" },
        { "SetDefaults_Container: no tag", "pods", """{"metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"nginx"}]}}""", "spec.containers[0].imagePullPolicy", "\"Always\"" },
        { "ResourceRequirements struct", "pods", Pod, "spec.containers[0].resources", "{}" },
        { "SetDefaults_Pod: requests from limits", "pods", PodWith(""","resources":{"limits":{"cpu":"1","memory":"1Gi"},"requests":{"cpu":"500m"}}"""),
            "spec.containers[0].resources.requests", """{"cpu":"500m","memory":"1Gi"}""" },
        { "ContainerPort.protocol", "pods", PodWith(""","ports":[{"containerPort":80}]"""), "spec.containers[0].ports[0]", """{"containerPort":80,"protocol":"TCP"}""" },
        { "SetDefaults_ObjectFieldSelector", "pods", PodWith(""","env":[{"name":"N","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}}]"""),
            "spec.containers[0].env[0].valueFrom.fieldRef", """{"fieldPath":"metadata.name","apiVersion":"v1"}""" },
        { "ResourceFieldSelector.divisor zero Quantity", "pods", PodWith(""","env":[{"name":"M","valueFrom":{"resourceFieldRef":{"resource":"limits.memory"}}}]"""),
            "spec.containers[0].env[0].valueFrom.resourceFieldRef", """{"resource":"limits.memory","divisor":"0"}""" },
        { "SetDefaults_Probe + SetDefaults_HTTPGetAction", "pods", PodWith(""","livenessProbe":{"httpGet":{"port":8080}}"""),
            "spec.containers[0].livenessProbe",
            """{"httpGet":{"port":8080,"path":"/","scheme":"HTTP"},"timeoutSeconds":1,"periodSeconds":10,"successThreshold":1,"failureThreshold":3}""" },
        { "SetDefaults_Probe: zero is unset", "pods", PodWith(""","readinessProbe":{"tcpSocket":{"port":80},"periodSeconds":0,"failureThreshold":5}"""),
            "spec.containers[0].readinessProbe", """{"tcpSocket":{"port":80},"periodSeconds":10,"failureThreshold":5,"timeoutSeconds":1,"successThreshold":1}""" },
        { "GRPCAction.service +default", "pods", PodWith(""","startupProbe":{"grpc":{"port":9000}}"""), "spec.containers[0].startupProbe.grpc", """{"port":9000,"service":""}""" },
        { "Lifecycle handler SetDefaults_HTTPGetAction", "pods", PodWith(""","lifecycle":{"preStop":{"httpGet":{"port":80,"path":"/quit"}}}"""),
            "spec.containers[0].lifecycle.preStop.httpGet", """{"port":80,"path":"/quit","scheme":"HTTP"}""" },
        { "Init containers: SetDefaults_Container", "pods", PodSpec("'initContainers':[{'name':'i','image':'busybox:latest'}]"),
            "spec.initContainers[0]",
            """{"name":"i","image":"busybox:latest","imagePullPolicy":"Always","terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File","resources":{}}""" },
        { "SetDefaults_Volume: no source is emptyDir", "pods", PodSpec("'volumes':[{'name':'v'}]"), "spec.volumes[0]", """{"name":"v","emptyDir":{}}""" },
        { "SetDefaults_SecretVolumeSource", "pods", PodSpec("'volumes':[{'name':'v','secret':{'secretName':'s'}}]"), "spec.volumes[0].secret", """{"secretName":"s","defaultMode":420}""" },
        { "SetDefaults_ConfigMapVolumeSource", "pods", PodSpec("'volumes':[{'name':'v','configMap':{'name':'c'}}]"), "spec.volumes[0].configMap", """{"name":"c","defaultMode":420}""" },
        { "SetDefaults_HostPathVolumeSource", "pods", PodSpec("'volumes':[{'name':'v','hostPath':{'path':'/data'}}]"), "spec.volumes[0].hostPath", """{"path":"/data","type":""}""" },
        { "SetDefaults_DownwardAPIVolumeSource + field selector", "pods",
            PodSpec("'volumes':[{'name':'v','downwardAPI':{'items':[{'path':'n','fieldRef':{'fieldPath':'metadata.name'}}]}}]"),
            "spec.volumes[0].downwardAPI", """{"items":[{"path":"n","fieldRef":{"fieldPath":"metadata.name","apiVersion":"v1"}}],"defaultMode":420}""" },
        { "SetDefaults_ProjectedVolumeSource + SetDefaults_ServiceAccountTokenProjection", "pods",
            PodSpec("'volumes':[{'name':'v','projected':{'sources':[{'serviceAccountToken':{'path':'token'}}]}}]"),
            "spec.volumes[0].projected", """{"sources":[{"serviceAccountToken":{"path":"token","expirationSeconds":3600}}],"defaultMode":420}""" },
        { "SetDefaults_PersistentVolumeClaimSpec in an ephemeral volume", "pods",
            PodSpec("'volumes':[{'name':'v','ephemeral':{'volumeClaimTemplate':{'spec':{'accessModes':['ReadWriteOnce']}}}}]"),
            "spec.volumes[0].ephemeral.volumeClaimTemplate.spec.volumeMode", "\"Filesystem\"" },
        { "Pod-level requests from pod-level limits", "pods", PodSpec("'resources':{'limits':{'cpu':'2'}}"), "spec.resources.requests", """{"cpu":"2"}""" },

        { "SetDefaults_Service", "services", """{"metadata":{"name":"s"},"spec":{"ports":[{"port":80}]}}""", "spec.ports[0]", """{"port":80,"protocol":"TCP","targetPort":80}""" },
        { "SetDefaults_Service: ClientIP affinity timeout", "services", """{"metadata":{"name":"s"},"spec":{"sessionAffinity":"ClientIP","ports":[{"port":80}]}}""",
            "spec.sessionAffinityConfig", """{"clientIP":{"timeoutSeconds":10800}}""" },
        { "SetDefaults_Service: None affinity drops config", "services",
            """{"metadata":{"name":"s"},"spec":{"sessionAffinityConfig":{"clientIP":{"timeoutSeconds":60}},"ports":[{"port":80}]}}""", "spec.sessionAffinityConfig", "null" },
        { "SetDefaults_Service: external IPs make it externally accessible", "services",
            """{"metadata":{"name":"s"},"spec":{"externalIPs":["192.0.2.10"],"ports":[{"port":80}]}}""", "spec.externalTrafficPolicy", "\"Cluster\"" },
        { "Headless without selector asks for dual stack", "services", """{"metadata":{"name":"s"},"spec":{"clusterIP":"None"}}""", "spec.ipFamilyPolicy", "\"RequireDualStack\"" },
        { "Headless gets the cluster's family", "services", """{"metadata":{"name":"s"},"spec":{"clusterIP":"None","selector":{"app":"x"}}}""", "spec.ipFamilies", """["IPv4"]""" },

        { "Node spec struct", "nodes", """{"metadata":{"name":"n"}}""", "spec", "{}" },
        { "Node status structs", "nodes", """{"metadata":{"name":"n"}}""", "status",
            """{"daemonEndpoints":{"kubeletEndpoint":{"Port":0}},"nodeInfo":{"machineID":"","systemUUID":"","bootID":"","kernelVersion":"","osImage":"","containerRuntimeVersion":"","kubeletVersion":"","kubeProxyVersion":"","operatingSystem":"","architecture":""}}""" },
        { "SetDefaults_NodeStatus: allocatable from capacity", "nodes", """{"metadata":{"name":"n"},"status":{"capacity":{"cpu":"4","pods":"110"}}}""",
            "status.allocatable", """{"cpu":"4","pods":"110"}""" },
        { "v1 NodeSpec conversion: podCIDR fills podCIDRs", "nodes", """{"metadata":{"name":"n"},"spec":{"podCIDR":"10.244.1.0/24"}}""", "spec.podCIDRs", """["10.244.1.0/24"]""" },
        { "v1 NodeSpec conversion: podCIDR is the head of podCIDRs", "nodes", """{"metadata":{"name":"n"},"spec":{"podCIDRs":["10.244.2.0/24"]}}""", "spec.podCIDR", "\"10.244.2.0/24\"" },

        { "SetDefaults_NamespaceStatus", "namespaces", """{"metadata":{"name":"ns1"}}""", "status", """{"phase":"Active"}""" },
        { "SetDefaults_Namespace label", "namespaces", """{"metadata":{"name":"ns1"}}""", "metadata.labels", """{"kubernetes.io/metadata.name":"ns1"}""" },
        { "SetDefaults_Secret", "secrets", """{"metadata":{"name":"s"}}""", "type", "\"Opaque\"" },
        { "SetDefaults_Endpoints", "endpoints", """{"metadata":{"name":"e"},"subsets":[{"addresses":[{"ip":"10.0.0.1"}],"ports":[{"port":80}]}]}""",
            "subsets[0].ports[0]", """{"port":80,"protocol":"TCP"}""" },
        { "discovery/v1 SetDefaults_EndpointPort", "endpointslices", """{"metadata":{"name":"e"},"addressType":"IPv4","ports":[{"port":80}]}""",
            "ports[0]", """{"port":80,"name":"","protocol":"TCP"}""" },
        { "EndpointConditions struct", "endpointslices", """{"metadata":{"name":"e"},"addressType":"IPv4","endpoints":[{"addresses":["10.0.0.1"]}]}""",
            "endpoints[0].conditions", "{}" },
        { "LeaseSpec struct", "leases", """{"metadata":{"name":"l"}}""", "spec", "{}" },
        { "Event source struct", "events", """{"metadata":{"name":"e"},"involvedObject":{"kind":"Pod","name":"p","namespace":"default"},"reason":"R"}""", "source", "{}" },
        { "Event unset times", "events", """{"metadata":{"name":"e"},"involvedObject":{"kind":"Pod","name":"p","namespace":"default"},"reason":"R"}""", "firstTimestamp", "null" },
        { "Event reportingComponent without omitempty", "events", """{"metadata":{"name":"e"},"involvedObject":{"kind":"Pod","name":"p"},"reason":"R"}""", "reportingComponent", "\"\"" },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public async Task Create_ThenGet_ReadsBackWithKubeDefault(string rule, string resource, string body, string path, string expected)
    {
        await using var h = await RegistryHarness.StartAsync();
        var (registry, catalog) = BuiltIn(h);
        var d = catalog.Find(Group(resource), "v1", resource)!;
        var ns = d.Namespaced ? "default" : null;
        var created = await registry.CreateAsync(h.Rc, d, ns, JsonNode.Parse(body)!.AsObject(), new WriteOptions(), RegistryHarness.Ct);
        var read = await registry.GetAsync(h.Rc, d, ns, created.Object.Name, new GetOptions(), RegistryHarness.Ct);
        var actual = Select(read.ToJsonObject(), path);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual),
            $"{rule}: {resource} {path} is {actual?.ToJsonString() ?? "absent"}, kube-apiserver returns {expected}");
    }

    [Fact]
    public async Task NodeStatusUpdate_WithCapacityOnly_ReadsBackAllocatable()
    {
        await using var h = await RegistryHarness.StartAsync();
        var (registry, catalog) = BuiltIn(h);
        var d = catalog.Find("", "v1", "nodes")!;
        await registry.CreateAsync(h.Rc, d, null, JsonNode.Parse("""{"metadata":{"name":"n"}}""")!.AsObject(), new WriteOptions(), RegistryHarness.Ct);
        var updated = await registry.PatchAsync(h.Rc, d, null, "n", "status",
            RegistryHarness.Patch(PatchType.Merge, """{"status":{"capacity":{"cpu":"8"}}}"""), new WriteOptions(), RegistryHarness.Ct);
        Assert.Equal("""{"cpu":"8"}""", Select(updated.Object.ToJsonObject(), "status.allocatable")?.ToJsonString());
        Assert.Equal("{}", Select(updated.Object.ToJsonObject(), "spec")?.ToJsonString());
    }

    [Fact]
    public async Task ServiceStatusUpdate_LoadBalancerIngressIp_ReadsBackAsVip()
    {
        await using var h = await RegistryHarness.StartAsync();
        var (registry, catalog) = BuiltIn(h);
        var d = catalog.Find("", "v1", "services")!;
        await registry.CreateAsync(h.Rc, d, "default",
            JsonNode.Parse("""{"metadata":{"name":"lb"},"spec":{"type":"LoadBalancer","ports":[{"port":80}]}}""")!.AsObject(), new WriteOptions(), RegistryHarness.Ct);
        var updated = await registry.PatchAsync(h.Rc, d, "default", "lb", "status",
            RegistryHarness.Patch(PatchType.Merge, """{"status":{"loadBalancer":{"ingress":[{"ip":"192.0.2.7"},{"hostname":"lb.example.com"}]}}}"""),
            new WriteOptions(), RegistryHarness.Ct);
        Assert.Equal("""[{"ip":"192.0.2.7","ipMode":"VIP"},{"hostname":"lb.example.com"}]""",
            Select(updated.Object.ToJsonObject(), "status.loadBalancer.ingress")?.ToJsonString());
    }

    [Fact]
    public async Task EventsV1Create_ReadsBackDeprecatedStructsThroughBothVersions()
    {
        await using var h = await RegistryHarness.StartAsync();
        var (registry, catalog) = BuiltIn(h);
        var v1 = catalog.Find("events.k8s.io", "v1", "events")!;
        var core = catalog.Find("", "v1", "events")!;
        await registry.CreateAsync(h.Rc, v1, "default", JsonNode.Parse("""
            {"metadata":{"name":"e"},"eventTime":"2026-11-25T08:00:00.000000Z","reportingController":"c","reportingInstance":"i",
             "action":"A","reason":"R","type":"Normal","regarding":{"kind":"Pod","name":"p","namespace":"default"}}
            """)!.AsObject(), new WriteOptions(), RegistryHarness.Ct);
        var asV1 = (await registry.GetAsync(h.Rc, v1, "default", "e", new GetOptions(), RegistryHarness.Ct)).ToJsonObject();
        var asCore = (await registry.GetAsync(h.Rc, core, "default", "e", new GetOptions(), RegistryHarness.Ct)).ToJsonObject();
        Assert.Equal("{}", asV1["deprecatedSource"]?.ToJsonString());
        Assert.True(asV1.ContainsKey("deprecatedFirstTimestamp") && asV1["deprecatedFirstTimestamp"] is null);
        Assert.Equal("{}", asCore["source"]?.ToJsonString());
        Assert.True(asCore.ContainsKey("lastTimestamp") && asCore["lastTimestamp"] is null);
    }

    private static string Group(string resource) => resource switch
    {
        "endpointslices" => "discovery.k8s.io",
        "leases" => "coordination.k8s.io",
        _ => "",
    };

    private static (GenericRegistry Registry, ResourceCatalog Catalog) BuiltIn(RegistryHarness h)
    {
        var catalog = new ResourceCatalog(BuiltInKinds.All());
        var services = new ServiceCollection()
            .AddSingleton<IResourceStore>(h.Store)
            .AddSingleton(new ServiceNetworkOptions())
            .BuildServiceProvider();
        return (new GenericRegistry(h.Store, h.Cache, catalog, NullLogger<GenericRegistry>.Instance, services), catalog);
    }

    /// <summary>"spec.containers[0].env" → the node there, or null when any step is missing.</summary>
    internal static JsonNode? Select(JsonNode? node, string path)
    {
        foreach (var part in path.Split('.'))
        {
            var name = part;
            var index = -1;
            var bracket = part.IndexOf('[');
            if (bracket >= 0)
            {
                name = part[..bracket];
                index = int.Parse(part[(bracket + 1)..^1], System.Globalization.CultureInfo.InvariantCulture);
            }
            node = node is JsonObject o ? o[name] : null;
            if (index >= 0) node = node is JsonArray a && index < a.Count ? a[index] : null;
        }
        return node;
    }
}
