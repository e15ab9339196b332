using System.Text.Json.Nodes;
using K8sHost.Registry.Catalog;
using K8sHost.Resources.ConfigMaps;
using K8sHost.Resources.Endpoints;
using K8sHost.Resources.EndpointSlices;
using K8sHost.Resources.Events;
using K8sHost.Resources.Leases;
using K8sHost.Resources.Secrets;
using K8sHost.Resources.ServiceAccounts;
using Xunit;
using static K8sHost.UnitTests.Resources.KindTestKit;

namespace K8sHost.UnitTests.Resources;

public class ConfigMapTests
{
    private static readonly ResourceDescriptor D = ConfigMapKind.Descriptor;

    [Fact]
    public void Cells_CountDataAndBinaryData()
    {
        var cm = Obj($"{{'metadata':{{'name':'cfg','creationTimestamp':'{Ago(TimeSpan.FromSeconds(42))}'}},'data':{{'a':'1','b':'2'}},'binaryData':{{'c':'AA=='}}}}");
        Assert.Equal(["cfg", 3L, "42s"], D.Strategy.GetCells(cm, Now));
    }

    [Fact]
    public void Validate_BadKeyAndDuplicateAcrossMaps()
    {
        var cm = Obj("{'metadata':{'name':'cfg'},'data':{'bad key':'1','x':'2'},'binaryData':{'x':'AA=='}}");
        var errors = Render(D.Strategy.Validate(Ctx(D), cm));
        Assert.Contains(errors, e => e.StartsWith("data[bad key]: Invalid value: \"bad key\": a valid config key must consist of alphanumeric characters", StringComparison.Ordinal));
        Assert.Contains("data[x]: Invalid value: \"x\": duplicate of key present in binaryData", errors);
    }

    [Fact]
    public void ValidateUpdate_ImmutableConfigMap_RejectsDataChangeAndUnset()
    {
        var old = Obj("{'metadata':{'name':'cfg'},'immutable':true,'data':{'a':'1'}}");
        var changed = Obj("{'metadata':{'name':'cfg'},'immutable':true,'data':{'a':'2'}}");
        Assert.Equal(["data: Forbidden: field is immutable when `immutable` is set"], Render(D.Strategy.ValidateUpdate(Ctx(D), changed, old)));
        var unset = Obj("{'metadata':{'name':'cfg'},'data':{'a':'1'}}");
        Assert.Equal(["immutable: Forbidden: field is immutable when `immutable` is set"], Render(D.Strategy.ValidateUpdate(Ctx(D), unset, old)));
        Assert.Empty(D.Strategy.ValidateUpdate(Ctx(D), (JsonObject)old.DeepClone(), old));
    }

    [Fact]
    public void Descriptor_IsNotInCategoryAll()
    {
        Assert.Empty(D.Categories);
        Assert.Equal(["cm"], D.ShortNames);
        Assert.False(D.Strategy.HasStatus);
    }
}

public class SecretTests
{
    private static readonly ResourceDescriptor D = SecretKind.Descriptor;

    [Fact]
    public void PrepareForCreate_DefaultsOpaqueAndFoldsStringData()
    {
        var s = Obj("{'metadata':{'name':'pw'},'data':{'a':'eA=='},'stringData':{'b':'hello'}}");
        D.Strategy.PrepareForCreate(Ctx(D), s);
        Assert.Equal("Opaque", s["type"]!.GetValue<string>());
        Assert.Equal("""{"a":"eA==","b":"aGVsbG8="}""", s["data"]!.ToJsonString());
        Assert.Null(s["stringData"]);
        Assert.Equal(["pw", "Opaque", 2L, "<unknown>"], D.Strategy.GetCells(s, Now));
        Assert.Equal("Opaque", D.Strategy.GetFields(s)["type"]);
    }

    [Fact]
    public void Validate_BadBase64AndMissingTlsKeys()
    {
        var s = Obj("{'metadata':{'name':'tls'},'type':'kubernetes.io/tls','data':{'tls.crt':'not base64!'}}");
        var errors = Render(D.Strategy.Validate(Ctx(D), s));
        Assert.Contains("data[tls.crt]: Invalid value: \"<secret contents redacted>\": must be valid base64 data", errors);
        Assert.Contains("data[tls.key]: Required value", errors);
    }

    [Fact]
    public void ValidateUpdate_TypeIsImmutable()
    {
        var old = Obj("{'metadata':{'name':'s'},'type':'Opaque'}");
        var next = Obj("{'metadata':{'name':'s'},'type':'example.com/x'}");
        Assert.Equal(["type: Invalid value: \"example.com/x\": field is immutable"], Render(D.Strategy.ValidateUpdate(Ctx(D), next, old)));
    }

    [Fact]
    public void ValidateUpdate_ImmutableSecret_RejectsDataChange()
    {
        var old = Obj("{'metadata':{'name':'s'},'type':'Opaque','immutable':true,'data':{'a':'eA=='}}");
        var next = Obj("{'metadata':{'name':'s'},'type':'Opaque','immutable':true,'data':{'a':'eQ=='}}");
        Assert.Equal(["data: Forbidden: field is immutable when `immutable` is set"], Render(D.Strategy.ValidateUpdate(Ctx(D), next, old)));
    }
}

public class ServiceAccountTests
{
    [Fact]
    public void Cells_NameSecretsAge()
    {
        var sa = Obj($"{{'metadata':{{'name':'default','creationTimestamp':'{Ago(TimeSpan.FromHours(5))}'}},'secrets':[{{'name':'tok'}}]}}");
        Assert.Equal(["default", 1L, "5h"], ServiceAccountKind.Descriptor.Strategy.GetCells(sa, Now));
        Assert.Equal(["sa"], ServiceAccountKind.Descriptor.ShortNames);
    }
}

public class EventTests
{
    [Fact]
    public void CoreEvent_CellsMatchKubePrinter()
    {
        var ev = Obj($$"""
            {'metadata':{'name':'web.1','namespace':'default'},'involvedObject':{'kind':'Pod','name':'web','namespace':'default','fieldPath':'spec.containers{nginx}'},
             'reason':'Pulled','message':'Successfully pulled image  ','type':'Normal','count':3,'source':{'component':'kubelet','host':'node1'},
             'firstTimestamp':'{{Ago(TimeSpan.FromMinutes(10))}}','lastTimestamp':'{{Ago(TimeSpan.FromMinutes(2))}}'}
            """);
        Assert.Equal(
            ["2m", "Normal", "Pulled", "pod/web", "spec.containers{nginx}", "kubelet, node1", "Successfully pulled image", "10m", 3L, "web.1"],
            EventKinds.Core.Strategy.GetCells(ev, Now));
        Assert.Equal("Last Seen", EventKinds.Core.Columns[0].Name);
        Assert.Equal(1, EventKinds.Core.Columns.Single(c => c.Name == "Name").Priority);
    }

    [Fact]
    public void CoreEvent_SingletonFromNewApi_UsesEventTimeAndCountOne()
    {
        var ev = Obj($"{{'metadata':{{'name':'e'}},'involvedObject':{{'kind':'Node'}},'eventTime':'{K8sHost.ApiMachinery.Time.KubeTime.FormatMicro(Now.AddSeconds(-30))}','reportingComponent':'sched','type':'Warning','reason':'X','message':'m'}}");
        var cells = EventKinds.Core.Strategy.GetCells(ev, Now);
        Assert.Equal(["30s", "Warning", "X", "node", "", "sched", "m", "30s", 1L, "e"], cells);
        var f = EventKinds.Core.Strategy.GetFields(ev);
        Assert.Equal("sched", f["source"]);
        Assert.Equal("Node", f["involvedObject.kind"]);
        Assert.Equal(EventKinds.Core.SelectableFields.Order(), f.Keys.Order());
    }

    [Fact]
    public void CoreEvent_InvolvedObjectInOtherNamespace_IsInvalid()
    {
        var ev = Obj("{'metadata':{'name':'e','namespace':'a'},'involvedObject':{'kind':'Pod','name':'p','namespace':'b'}}");
        Assert.Equal(["involvedObject.namespace: Invalid value: \"b\": does not match event.namespace"],
            Render(EventKinds.Core.Strategy.Validate(Ctx(EventKinds.Core), ev)));
    }

    [Fact]
    public void EventsV1_SameCellsFromTheNewShape()
    {
        var ev = Obj($$"""
            {'metadata':{'name':'web.2','namespace':'default'},'regarding':{'kind':'Pod','name':'web'},'reason':'Started','note':'Started container',
             'type':'Normal','reportingController':'kubelet','reportingInstance':'node1','action':'Start',
             'eventTime':'{{K8sHost.ApiMachinery.Time.KubeTime.FormatMicro(Now.AddMinutes(-7))}}',
             'series':{'count':4,'lastObservedTime':'{{K8sHost.ApiMachinery.Time.KubeTime.FormatMicro(Now.AddMinutes(-1))}}'} }
            """);
        Assert.Equal(["60s", "Normal", "Started", "pod/web", "", "kubelet, node1", "Started container", "7m", 4L, "web.2"],
            EventKinds.EventsV1.Strategy.GetCells(ev, Now));
        Assert.Empty(EventKinds.EventsV1.Strategy.Validate(Ctx(EventKinds.EventsV1), ev));
        Assert.Equal("events.k8s.io", EventKinds.EventsV1.Group);
    }

    [Fact]
    public void EventsV1_RequiresReportingFields()
    {
        var errors = Render(EventKinds.EventsV1.Strategy.Validate(Ctx(EventKinds.EventsV1), Obj("{'metadata':{'name':'e'},'type':'Info'}")));
        Assert.Equal(
            ["eventTime: Required value", "reportingController: Required value", "reportingInstance: Required value", "action: Required value",
             "reason: Required value", "type: Invalid value: \"\": has invalid value: Info"], errors);
    }
}

public class EndpointsTests
{
    [Fact]
    public void Cells_ListAddressesWithPortsAndMore()
    {
        var ep = Obj("""
            {'metadata':{'name':'web'},'subsets':[{'addresses':[{'ip':'10.0.0.1'},{'ip':'10.0.0.2'}],'ports':[{'port':80},{'port':443}]}]}
            """);
        Assert.Equal(["web", "10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 1 more...", "<unknown>"], EndpointsKind.Descriptor.Strategy.GetCells(ep, Now));
        Assert.Equal("<none>", EndpointsKind.Descriptor.Strategy.GetCells(Obj("{'metadata':{'name':'x'}}"), Now)[1]);
        Assert.Equal(["ep"], EndpointsKind.Descriptor.ShortNames);
    }

    [Fact]
    public void Validate_BadAddressAndPort()
    {
        var ep = Obj("{'metadata':{'name':'web'},'subsets':[{'addresses':[{'ip':'nope'}],'ports':[{'port':70000}]}]}");
        Assert.Equal(
            ["subsets[0].addresses[0].ip: Invalid value: \"nope\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
             "subsets[0].ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive"],
            Render(EndpointsKind.Descriptor.Strategy.Validate(Ctx(EndpointsKind.Descriptor), ep)));
    }
}

public class EndpointSliceTests
{
    private static readonly ResourceDescriptor D = EndpointSliceKind.Descriptor;

    [Fact]
    public void Cells_AddressTypePortsEndpoints()
    {
        var s = Obj("""
            {'metadata':{'name':'web-abc'},'addressType':'IPv4','ports':[{'name':'http','port':80},{'name':'dyn'}],
             'endpoints':[{'addresses':['10.0.0.1']},{'addresses':['10.0.0.2']},{'addresses':['10.0.0.3']},{'addresses':['10.0.0.4']}]}
            """);
        Assert.Equal(["web-abc", "IPv4", "80,dyn", "10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...", "<unknown>"], D.Strategy.GetCells(s, Now));
        Assert.Equal(["web-abc", "IPv4", "<unset>", "<unset>", "<unknown>"], D.Strategy.GetCells(Obj("{'metadata':{'name':'web-abc'},'addressType':'IPv4'}"), Now));
    }

    [Fact]
    public void Validate_AddressTypeRequiredAndImmutable()
    {
        Assert.Equal(["addressType: Required value"], Render(D.Strategy.Validate(Ctx(D), Obj("{'metadata':{'name':'s'}}"))));
        var old = Obj("{'metadata':{'name':'s'},'addressType':'IPv4'}");
        var next = Obj("{'metadata':{'name':'s'},'addressType':'IPv6'}");
        Assert.Equal(["addressType: Invalid value: \"IPv6\": field is immutable"], Render(D.Strategy.ValidateUpdate(Ctx(D), next, old)));
    }
}

public class LeaseTests
{
    [Fact]
    public void Cells_HolderIdentity()
    {
        var l = Obj("{'metadata':{'name':'kube-scheduler'},'spec':{'holderIdentity':'node1_abc','leaseDurationSeconds':15}}");
        Assert.Equal(["kube-scheduler", "node1_abc", "<unknown>"], LeaseKind.Descriptor.Strategy.GetCells(l, Now));
        Assert.Equal("", LeaseKind.Descriptor.Strategy.GetCells(Obj("{'metadata':{'name':'x'}}"), Now)[1]);
        Assert.Equal("coordination.k8s.io", LeaseKind.Descriptor.Group);
        Assert.False(LeaseKind.Descriptor.Strategy.HasStatus);
    }

    [Fact]
    public void Validate_NonPositiveDuration_IsInvalid()
    {
        var l = Obj("{'metadata':{'name':'x'},'spec':{'leaseDurationSeconds':0}}");
        Assert.Equal(["spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0"], Render(LeaseKind.Descriptor.Strategy.Validate(Ctx(LeaseKind.Descriptor), l)));
    }
}
