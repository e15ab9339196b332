using System.Text.Json.Nodes;
using K8sHost.Registry.Catalog;
using K8sHost.Resources.Namespaces;
using K8sHost.Resources.Nodes;
using Xunit;
using static K8sHost.UnitTests.Resources.KindTestKit;

namespace K8sHost.UnitTests.Resources;

public class NodeTests
{
    private static readonly ResourceDescriptor D = NodeKind.Descriptor;

    private static JsonObject Node(string labels = "{}", string spec = "{}", string conditions = "[{'type':'Ready','status':'True'}]") => Obj($$"""
        {'metadata':{'name':'node1','labels':{{labels}},'creationTimestamp':'{{Ago(TimeSpan.FromDays(10))}}'},'spec':{{spec}},
         'status':{'conditions':{{conditions}},
           'addresses':[{'type':'Hostname','address':'node1'},{'type':'InternalIP','address':'192.168.1.10'}],
           'nodeInfo':{'kubeletVersion':'v1.35.0','osImage':'Debian GNU/Linux 13 (trixie)','kernelVersion':'6.12.0','containerRuntimeVersion':'containerd://2.1.0'} } }
        """);

    [Fact]
    public void Cells_ReadyControlPlaneNode_MatchKubePrinter()
    {
        var node = Node("{'node-role.kubernetes.io/control-plane':''}");
        Assert.Equal(
            ["node1", "Ready", "control-plane", "10d", "v1.35.0", "192.168.1.10", "<none>", "Debian GNU/Linux 13 (trixie)", "6.12.0", "containerd://2.1.0"],
            D.Strategy.GetCells(node, Now));
    }

    [Theory]
    [InlineData("[{'type':'Ready','status':'True'}]", "{'unschedulable':true}", "Ready,SchedulingDisabled")]
    [InlineData("[{'type':'Ready','status':'False'}]", "{}", "NotReady")]
    [InlineData("[{'type':'Ready','status':'Unknown'}]", "{}", "NotReady")]
    [InlineData("[]", "{}", "Unknown")]
    [InlineData("[]", "{'unschedulable':true}", "Unknown,SchedulingDisabled")]
    public void StatusColumn_FromReadyConditionAndCordon(string conditions, string spec, string expected)
    {
        Assert.Equal(expected, D.Strategy.GetCells(Node(spec: spec, conditions: conditions), Now)[1]);
    }

    [Theory]
    [InlineData("{}", "<none>")]
    [InlineData("{'node-role.kubernetes.io/worker':'','node-role.kubernetes.io/control-plane':'','app':'x'}", "control-plane,worker")]
    [InlineData("{'kubernetes.io/role':'master'}", "master")]
    [InlineData("{'node-role.kubernetes.io/':'x'}", "<none>")]
    public void RolesColumn_FromNodeRoleLabels(string labels, string expected)
    {
        Assert.Equal(expected, D.Strategy.GetCells(Node(labels), Now)[2]);
    }

    [Fact]
    public void Create_KeepsStatus_AsTheKubeletRegistersWithIt()
    {
        var node = Node();
        D.Strategy.PrepareForCreate(Ctx(D), node);
        Assert.Equal("v1.35.0", node["status"]!["nodeInfo"]!["kubeletVersion"]!.GetValue<string>());
    }

    [Fact]
    public void Update_KeepsStoredStatus_StatusUpdateTakesNewConditions()
    {
        var old = Node();
        var next = Node(conditions: "[{'type':'Ready','status':'False'}]");
        D.Strategy.PrepareForUpdate(Ctx(D), next, old);
        Assert.Equal("Ready", D.Strategy.GetCells(next, Now)[1]);
        var status = Node(spec: "{'unschedulable':true}", conditions: "[{'type':'Ready','status':'False'}]");
        D.Strategy.PrepareForStatusUpdate(Ctx(D), status, old);
        Assert.Equal("NotReady", D.Strategy.GetCells(status, Now)[1]);
    }

    [Fact]
    public void Validate_NameMustBeSubdomain_FieldsExposeUnschedulable()
    {
        var bad = Obj("{'metadata':{'name':'Node_1'}}");
        Assert.Contains(Render(D.Strategy.Validate(Ctx(D), bad)), e => e.StartsWith("metadata.name: Invalid value: \"Node_1\"", StringComparison.Ordinal));
        Assert.Equal("true", D.Strategy.GetFields(Node(spec: "{'unschedulable':true}"))["spec.unschedulable"]);
        Assert.Equal("false", D.Strategy.GetFields(Node())["spec.unschedulable"]);
    }
}

public class NamespaceTests
{
    private static readonly ResourceDescriptor D = NamespaceKind.Descriptor;

    [Fact]
    public void PrepareForCreate_ActiveWithKubernetesFinalizerAndNameLabel()
    {
        var ns = Obj("{'metadata':{'name':'dev','labels':{'team':'a'}},'status':{'phase':'Terminating'}}");
        D.Strategy.PrepareForCreate(Ctx(D), ns);
        Assert.Equal("""{"phase":"Active"}""", ns["status"]!.ToJsonString());
        Assert.Equal("""{"finalizers":["kubernetes"]}""", ns["spec"]!.ToJsonString());
        Assert.Equal("""{"team":"a","kubernetes.io/metadata.name":"dev"}""", ns["metadata"]!["labels"]!.ToJsonString());
    }

    [Fact]
    public void PrepareForUpdate_NameLabelAndFinalizersCannotBeChanged()
    {
        var old = Obj("{'metadata':{'name':'dev'}}");
        D.Strategy.PrepareForCreate(Ctx(D), old);
        var next = Obj("{'metadata':{'name':'dev','labels':{'kubernetes.io/metadata.name':'other'}},'spec':{'finalizers':[]}}");
        D.Strategy.PrepareForUpdate(Ctx(D), next, old);
        Assert.Equal("dev", next["metadata"]!["labels"]!["kubernetes.io/metadata.name"]!.GetValue<string>());
        Assert.Equal("""["kubernetes"]""", next["spec"]!["finalizers"]!.ToJsonString());
        Assert.Equal("Active", next["status"]!["phase"]!.GetValue<string>());
    }

    [Fact]
    public void BeginDelete_MarksTerminatingAndKeepsTheNamespace()
    {
        var ns = Obj("{'metadata':{'name':'dev'}}");
        D.Strategy.PrepareForCreate(Ctx(D), ns);
        Assert.True(((IDeletionStrategy)D.Strategy).BeginDelete(Ctx(D), ns));
        Assert.Equal("Terminating", ns["status"]!["phase"]!.GetValue<string>());
        Assert.Equal("2026-11-25T08:00:00Z", ns["metadata"]!["deletionTimestamp"]!.GetValue<string>());
        Assert.Equal(["dev", "Terminating", "<unknown>"], D.Strategy.GetCells(ns, Now));
        Assert.Equal("Terminating", D.Strategy.GetFields(ns)["status.phase"]);
    }

    [Fact]
    public void BeginDelete_TerminatingWithoutSpecFinalizers_IsRemoved()
    {
        var ns = Obj("{'metadata':{'name':'dev'},'spec':{'finalizers':[]},'status':{'phase':'Terminating'}}");
        Assert.False(((IDeletionStrategy)D.Strategy).BeginDelete(Ctx(D), ns));
    }

    [Fact]
    public void Validate_NameMustBeDns1123Label()
    {
        var errors = Render(D.Strategy.Validate(Ctx(D), Obj("{'metadata':{'name':'a.b'}}")));
        Assert.Equal(["metadata.name: Invalid value: \"a.b\": must not contain dots"], errors);
        var upper = Render(D.Strategy.Validate(Ctx(D), Obj("{'metadata':{'name':'Dev'}}")));
        Assert.Contains(upper, e => e.StartsWith("metadata.name: Invalid value: \"Dev\": a lowercase RFC 1123 label", StringComparison.Ordinal));
        Assert.Empty(D.Strategy.Validate(Ctx(D), Obj("{'metadata':{'name':'kube-system'}}")));
    }

    [Fact]
    public void Descriptor_HasNoDeleteCollection_AsKubeApiserver()
    {
        Assert.DoesNotContain("deletecollection", D.Verbs);
        Assert.False(D.Namespaced);
    }
}
