using System.Text.Json.Nodes;
using K8sHost.Registry.Catalog;
using K8sHost.Resources;
using Xunit;
using static K8sHost.UnitTests.Resources.KindTestKit;

namespace K8sHost.UnitTests.Resources;

/// <summary>
/// kube-apiserver's validation rules for the served kinds, one row per case: a body that breaks the rule and the
/// exact cause kube returns in its 422 ("field: message"), or a body that keeps it (expected "" = no causes at all).
/// Bodies go through the kind's prepare hook first, as in the registry, so defaults apply before validation.
/// </summary>
public class ValidationRuleTests
{
    private static readonly IReadOnlyList<ResourceDescriptor> Kinds = BuiltInKinds.All();

    private static string Node(string spec, string status = "{}") =>
        $"{{'metadata':{{'name':'n1'}},'spec':{spec},'status':{status}}}";

    private static string Pod(string container = "", string spec = "") =>
        $"{{'metadata':{{'name':'p','namespace':'default'}},'spec':{{'containers':[{{'name':'c','image':'nginx:1.27'{container}}}]{spec}}}}}";

    private static string Svc(string spec) => $"{{'metadata':{{'name':'s','namespace':'default'}},'spec':{spec}}}";

    public static TheoryData<string, string, string> Cases => new()
    {
        // Node: pod CIDRs (a lone podCIDR is validated as podCIDRs[0], the internal field).
        { "nodes", Node("{'podCIDR':'10.244.0.0/24'}"), "" },
        { "nodes", Node("{'podCIDR':'garbage'}"), "spec.podCIDRs[0]: Invalid value: \"garbage\": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)" },
        { "nodes", Node("{'podCIDRs':['10.244.0.0/33']}"), "spec.podCIDRs[0]: Invalid value: \"10.244.0.0/33\": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)" },
        { "nodes", Node("{'podCIDRs':['10.244.0.0']}"), "spec.podCIDRs[0]: Invalid value: \"10.244.0.0\": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)" },
        { "nodes", Node("{'podCIDRs':['10.244.0.0/24','fd00:10:244::/64']}"), "" },
        { "nodes", Node("{'podCIDRs':['10.244.0.0/24','10.245.0.0/24']}"),
            "spec.podCIDRs: Invalid value: []string{\"10.244.0.0/24\", \"10.245.0.0/24\"}: may specify no more than one CIDR for each IP family" },
        // Node: taints (kube reports them under metadata.taints).
        { "nodes", Node("{'taints':[{'key':'dedicated','value':'gpu','effect':'NoSchedule'}]}"), "" },
        { "nodes", Node("{'taints':[{'key':'k','effect':'Bad'}]}"),
            "metadata.taints[0].effect: Unsupported value: \"Bad\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"" },
        { "nodes", Node("{'taints':[{'key':'k'}]}"), "metadata.taints[0].effect: Required value" },
        { "nodes", Node("{'taints':[{'key':'bad key','effect':'NoSchedule'}]}"),
            "metadata.taints[0].key: Invalid value: \"bad key\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')" },
        { "nodes", Node("{'taints':[{'key':'k','value':'-x','effect':'NoSchedule'}]}"),
            "metadata.taints[0].value: Invalid value: \"-x\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')" },
        { "nodes", Node("{'taints':[{'key':'k','effect':'NoSchedule'},{'key':'k','effect':'NoSchedule'}]}"),
            "metadata.taints[1]: Duplicate value: core.Taint{Key:\"k\", Value:\"\", Effect:\"NoSchedule\", TimeAdded:(*v1.Time)(nil)}: taints must be unique by key and effect pair" },
        { "nodes", Node("{'taints':[{'key':'k','effect':'NoSchedule'},{'key':'k','effect':'NoExecute'}]}"), "" },
        // Node: resource quantities.
        { "nodes", Node("{}", "{'capacity':{'cpu':'4','memory':'8Gi','pods':'110'}}"), "" },
        { "nodes", Node("{}", "{'capacity':{'cpu':'-1'}}"), "status.capacity.cpu: Invalid value: \"-1\": must be greater than or equal to 0" },
        { "nodes", Node("{}", "{'capacity':{'pods':'1.5'}}"), "status.capacity.pods: Invalid value: \"1.5\": must be an integer" },

        // Pod: tolerations.
        { "pods", Pod(spec: ",'tolerations':[{'key':'k','operator':'Equal','value':'v','effect':'NoSchedule'}]"), "" },
        { "pods", Pod(spec: ",'tolerations':[{'key':'k','operator':'Equal','effect':'Bad'}]"),
            "spec.tolerations[0].effect: Unsupported value: \"Bad\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"" },
        { "pods", Pod(spec: ",'tolerations':[{'key':'k','operator':'Sometimes'}]"),
            "spec.tolerations[0].operator: Unsupported value: \"Sometimes\": supported values: \"Equal\", \"Exists\"" },
        { "pods", Pod(spec: ",'tolerations':[{'operator':'Equal','value':'v'}]"),
            "spec.tolerations[0].operator: Invalid value: \"Equal\": operator must be Exists when `key` is empty, which means \"match all values and all keys\"" },
        { "pods", Pod(spec: ",'tolerations':[{'key':'k','operator':'Exists','effect':'NoSchedule','tolerationSeconds':60}]"),
            "spec.tolerations[0].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set" },
        { "pods", Pod(spec: ",'tolerations':[{'key':'k','operator':'Exists','value':'v'}]"),
            "spec.tolerations[0].operator: Invalid value: core.Toleration{Key:\"k\", Operator:\"Exists\", Value:\"v\", Effect:\"\", TolerationSeconds:(*int64)(nil)}: value must be empty when `operator` is 'Exists'" },
        // Pod: node selector, env, volumes and mounts, probes, resources, port names.
        { "pods", Pod(spec: ",'nodeSelector':{'disk':'ssd'}"), "" },
        { "pods", Pod(spec: ",'nodeSelector':{'disk':'-ssd'}"),
            "spec.nodeSelector: Invalid value: \"-ssd\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')" },
        { "pods", Pod(",'env':[{'name':'MY-VAR.1','value':'x'}]"), "" },
        { "pods", Pod(",'env':[{'name':'A=B'}]"),
            "spec.containers[0].env[0].name: Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '='" },
        { "pods", Pod(",'env':[{'value':'x'}]"), "spec.containers[0].env[0].name: Required value" },
        { "pods", Pod(",'env':[{'name':'A','value':'x','valueFrom':{'fieldRef':{'fieldPath':'metadata.name'}}}]"),
            "spec.containers[0].env[0].valueFrom: Invalid value: \"\": may not be specified when `value` is not empty" },
        { "pods", Pod(",'volumeMounts':[{'name':'data','mountPath':'/data'}]", ",'volumes':[{'name':'data'}]"), "" },
        { "pods", Pod(",'volumeMounts':[{'name':'nope','mountPath':'/data'}]"), "spec.containers[0].volumeMounts[0].name: Not found: \"nope\"" },
        { "pods", Pod(",'volumeMounts':[{'name':'data'}]", ",'volumes':[{'name':'data'}]"), "spec.containers[0].volumeMounts[0].mountPath: Required value" },
        { "pods", Pod(spec: ",'volumes':[{'name':'Data'}]"),
            "spec.volumes[0].name: Invalid value: \"Data\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')" },
        { "pods", Pod(spec: ",'volumes':[{'name':'a'},{'name':'a'}]"), "spec.volumes[1].name: Duplicate value: \"a\"" },
        { "pods", Pod(spec: ",'volumes':[{'name':'a','emptyDir':{},'configMap':{'name':'c'}}]"), "spec.volumes[0].configMap: Forbidden: may not specify more than 1 volume type" },
        { "pods", Pod(",'livenessProbe':{'httpGet':{'port':8080}}"), "" },
        { "pods", Pod(",'livenessProbe':{'initialDelaySeconds':5}"), "spec.containers[0].livenessProbe: Required value: must specify a handler type" },
        { "pods", Pod(",'livenessProbe':{'tcpSocket':{'port':80},'successThreshold':2}"), "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1" },
        { "pods", Pod(",'readinessProbe':{'tcpSocket':{'port':80},'initialDelaySeconds':-1}"),
            "spec.containers[0].readinessProbe.initialDelaySeconds: Invalid value: -1: must be greater than or equal to 0" },
        { "pods", Pod(",'readinessProbe':{'exec':{'command':['true']},'tcpSocket':{'port':80}}"),
            "spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type" },
        { "pods", Pod(",'resources':{'requests':{'cpu':'500m'},'limits':{'cpu':'1'}}"), "" },
        { "pods", Pod(",'resources':{'requests':{'cpu':'2'},'limits':{'cpu':'1'}}"),
            "spec.containers[0].resources.requests: Invalid value: \"2\": must be less than or equal to cpu limit of 1" },
        { "pods", Pod(",'resources':{'limits':{'memory':'-1Gi'}}"), "spec.containers[0].resources.limits[memory]: Invalid value: \"-1Gi\": must be greater than or equal to 0" },
        { "pods", Pod(",'ports':[{'name':'http','containerPort':80}]"), "" },
        { "pods", Pod(",'ports':[{'name':'Web_Port','containerPort':80}]"),
            "spec.containers[0].ports[0].name: Invalid value: \"Web_Port\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)" },

        // Service.
        { "services", Svc("{'selector':{'app':'web'},'ports':[{'port':80,'targetPort':'http'}]}"), "" },
        { "services", Svc("{'selector':{'app':'web!'},'ports':[{'port':80}]}"),
            "spec.selector: Invalid value: \"web!\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')" },
        { "services", Svc("{'ports':[{'port':80,'targetPort':'web--port'}]}"), "spec.ports[0].targetPort: Invalid value: \"web--port\": must not contain consecutive hyphens" },
        { "services", Svc("{'externalIPs':['192.0.2.10'],'ports':[{'port':80}]}"), "" },
        { "services", Svc("{'externalIPs':['1.2.3'],'ports':[{'port':80}]}"),
            "spec.externalIPs[0]: Invalid value: \"1.2.3\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)" },
        { "services", Svc("{'externalIPs':['127.0.0.1'],'ports':[{'port':80}]}"),
            "spec.externalIPs[0]: Invalid value: \"127.0.0.1\": may not be in the loopback range (127.0.0.0/8, ::1/128)" },
        { "services", Svc("{'type':'LoadBalancer','loadBalancerSourceRanges':['10.0.0.0/8'],'ports':[{'port':80}]}"), "" },
        { "services", Svc("{'type':'LoadBalancer','loadBalancerSourceRanges':['10.0.0.0/99'],'ports':[{'port':80}]}"),
            "spec.loadBalancerSourceRanges[0]: Invalid value: \"10.0.0.0/99\": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)" },
        { "services", Svc("{'loadBalancerSourceRanges':['10.0.0.0/8'],'ports':[{'port':80}]}"),
            "spec.loadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'" },
        { "services", Svc("{'sessionAffinity':'ClientIP','sessionAffinityConfig':{'clientIP':{'timeoutSeconds':100000}},'ports':[{'port':80}]}"),
            "spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 100000: must be greater than 0 and less than 86400" },
        { "services", Svc("{'ipFamilyPolicy':'Sometimes','ports':[{'port':80}]}"),
            "spec.ipFamilyPolicy: Unsupported value: \"Sometimes\": supported values: \"PreferDualStack\", \"RequireDualStack\", \"SingleStack\"" },
        { "services", Svc("{'ipFamilies':['IPv5'],'ports':[{'port':80}]}"), "spec.ipFamilies[0]: Unsupported value: \"IPv5\": supported values: \"IPv4\", \"IPv6\"" },

        // Endpoints and endpoint slices: addresses are IPs as kube parses them.
        { "endpoints", "{'metadata':{'name':'e','namespace':'default'},'subsets':[{'addresses':[{'ip':'10.0.0.1'}]}]}", "" },
        { "endpoints", "{'metadata':{'name':'e','namespace':'default'},'subsets':[{'addresses':[{'ip':'10.1'}]}]}",
            "subsets[0].addresses[0].ip: Invalid value: \"10.1\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Validate_ReportsKubeCause(string resource, string body, string expected)
    {
        var d = Kinds.First(k => k.Plural == resource && k.SharesStorageWith is null);
        var obj = Obj(body);
        d.Strategy.PrepareForCreate(Ctx(d), obj);
        var causes = Render(d.Strategy.Validate(Ctx(d), obj));
        if (expected.Length == 0) Assert.Empty(causes);
        else Assert.Contains(expected, causes);
    }

    [Theory]
    [InlineData("{'podCIDRs':['10.244.0.0/24']}", "{'podCIDRs':['10.244.1.0/24']}", "spec.podCIDRs: Forbidden: node updates may not change podCIDR except from \"\" to valid")]
    [InlineData("{'providerID':'kind://a'}", "{'providerID':'kind://b'}", "spec.providerID: Forbidden: node updates may not change providerID except from \"\" to valid")]
    [InlineData("{}", "{'podCIDRs':['10.244.1.0/24'],'providerID':'kind://b'}", "")]
    public void NodeUpdate_SetOnceFields(string before, string after, string expected)
    {
        var d = Kinds.First(k => k.Plural == "nodes");
        var old = Obj(Node(before));
        d.Strategy.PrepareForCreate(Ctx(d), old);
        var obj = Obj(Node(after));
        d.Strategy.PrepareForUpdate(Ctx(d), obj, old);
        var causes = Render(d.Strategy.ValidateUpdate(Ctx(d), obj, old));
        if (expected.Length == 0) Assert.Empty(causes);
        else Assert.Contains(expected, causes);
    }

    [Fact]
    public void PodUpdate_OfAPodStoredBeforeItsDefaults_IsNotASpecChange()
    {
        var d = Kinds.First(k => k.Plural == "pods");
        var manifest = Pod(",'env':[{'name':'N','valueFrom':{'fieldRef':{'fieldPath':'metadata.name'}}}]");
        var stored = Obj(manifest); // as written by an older server: without today's defaults
        var body = Obj(manifest);
        d.Strategy.PrepareForUpdate(Ctx(d), body, stored);
        Assert.Empty(Render(d.Strategy.ValidateUpdate(Ctx(d), body, stored)));
    }
}
