using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;
using K8sHost.Registry.Catalog;
using K8sHost.Resources.Pods;
using Xunit;
using static K8sHost.UnitTests.Resources.KindTestKit;

namespace K8sHost.UnitTests.Resources;

public class PodTests
{
    private static readonly ResourceDescriptor D = PodKind.Descriptor;
    private static IResourceStrategy S => D.Strategy;

    private static JsonObject Pod(string status = "{}", string extraSpec = "", string meta = "") => Obj($$"""
        {'metadata':{'name':'web','namespace':'default','creationTimestamp':'{{Ago(TimeSpan.FromMinutes(60))}}'{{meta}}},
         'spec':{'containers':[{'name':'nginx','image':'nginx'}]{{extraSpec}}},
         'status':{{status}}}
        """);

    [Fact]
    public void Cells_RunningPodOnANode_MatchKubePrinter()
    {
        var pod = Pod("""
            {'phase':'Running','podIP':'10.244.0.5','podIPs':[{'ip':'10.244.0.5'}],
             'containerStatuses':[{'name':'nginx','ready':true,'restartCount':0,'state':{'running':{'startedAt':'2026-11-25T07:00:00Z'}}}]}
            """, ",'nodeName':'node1'");
        Assert.Equal(["web", "1/1", "Running", "0", "60m", "10.244.0.5", "node1", "<none>", "<none>"], S.GetCells(pod, Now));
    }

    [Fact]
    public void Cells_NewPendingPod_ShowsZeroReadyAndNone()
    {
        Assert.Equal(["web", "0/1", "Pending", "0", "60m", "<none>", "<none>", "<none>", "<none>"], S.GetCells(Pod("{'phase':'Pending'}"), Now));
    }

    [Theory]
    [InlineData("{'phase':'Pending','containerStatuses':[{'name':'nginx','ready':false,'restartCount':0,'state':{'waiting':{'reason':'ContainerCreating'}}}]}", "ContainerCreating")]
    [InlineData("{'phase':'Running','containerStatuses':[{'name':'nginx','ready':false,'restartCount':3,'state':{'waiting':{'reason':'CrashLoopBackOff'}}}]}", "CrashLoopBackOff")]
    [InlineData("{'phase':'Succeeded','containerStatuses':[{'name':'nginx','ready':false,'restartCount':0,'state':{'terminated':{'reason':'Completed','exitCode':0}}}]}", "Completed")]
    [InlineData("{'phase':'Failed','containerStatuses':[{'name':'nginx','ready':false,'restartCount':0,'state':{'terminated':{'exitCode':137}}}]}", "ExitCode:137")]
    [InlineData("{'phase':'Failed','containerStatuses':[{'name':'nginx','ready':false,'restartCount':0,'state':{'terminated':{'exitCode':0,'signal':9}}}]}", "Signal:9")]
    [InlineData("{'phase':'Failed','reason':'Evicted'}", "Evicted")]
    [InlineData("{'phase':'Pending','conditions':[{'type':'PodScheduled','status':'False','reason':'SchedulingGated'}]}", "SchedulingGated")]
    public void StatusColumn_FollowsContainerStates(string status, string expected)
    {
        Assert.Equal(expected, S.GetCells(Pod(status), Now)[2]);
    }

    [Fact]
    public void StatusColumn_InitContainerStillRunning_ShowsInitProgress()
    {
        var pod = Pod("{'phase':'Pending','initContainerStatuses':[{'name':'init','restartCount':0,'state':{'running':{}}}]}",
            ",'initContainers':[{'name':'init','image':'busybox'}]");
        Assert.Equal("Init:0/1", S.GetCells(pod, Now)[2]);
    }

    [Fact]
    public void StatusColumn_InitContainerFailed_ShowsInitReason()
    {
        var pod = Pod("{'phase':'Pending','initContainerStatuses':[{'name':'init','restartCount':2,'state':{'terminated':{'reason':'Error','exitCode':1}}}]}",
            ",'initContainers':[{'name':'init','image':'busybox'}]");
        Assert.Equal("Init:Error", S.GetCells(pod, Now)[2]);
        Assert.Equal("2", S.GetCells(pod, Now)[3]);
    }

    [Fact]
    public void StatusColumn_DeletionTimestampOnRunningPod_IsTerminating()
    {
        var pod = Pod("{'phase':'Running'}", meta: ",'deletionTimestamp':'2026-11-25T07:59:00Z'");
        Assert.Equal("Terminating", S.GetCells(pod, Now)[2]);
    }

    [Fact]
    public void StatusColumn_CompletedContainerWithAnotherRunning_IsNotReadyWithoutReadyCondition()
    {
        var pod = Obj("""
            {'metadata':{'name':'p'},'spec':{'containers':[{'name':'a','image':'x'},{'name':'b','image':'y'}]},
             'status':{'phase':'Running','containerStatuses':[
               {'name':'a','ready':true,'restartCount':0,'state':{'running':{}}},
               {'name':'b','ready':false,'restartCount':0,'state':{'terminated':{'reason':'Completed','exitCode':0}}}]}}
            """);
        var cells = S.GetCells(pod, Now);
        Assert.Equal("1/2", cells[1]);
        Assert.Equal("NotReady", cells[2]);
    }

    [Fact]
    public void RestartsColumn_WithLastTermination_AddsAgo()
    {
        var pod = Pod($$"""
            {'phase':'Running','containerStatuses':[{'name':'nginx','ready':true,'restartCount':5,'state':{'running':{ } },
              'lastState':{'terminated':{'exitCode':1,'finishedAt':'{{Ago(TimeSpan.FromMinutes(5))}}'} } }]}
            """);
        Assert.Equal("5 (5m ago)", S.GetCells(pod, Now)[3]);
    }

    [Fact]
    public void ReadinessGatesColumn_CountsTrueConditions()
    {
        var pod = Pod("{'phase':'Running','conditions':[{'type':'g1','status':'True'},{'type':'g2','status':'False'}]}",
            ",'readinessGates':[{'conditionType':'g1'},{'conditionType':'g2'}]");
        Assert.Equal("1/2", S.GetCells(pod, Now)[8]);
    }

    [Fact]
    public void PrepareForCreate_SetsPendingStatusAndKubeDefaults()
    {
        var pod = Pod("{'phase':'Running'}");
        S.PrepareForCreate(Ctx(D), pod);
        Assert.Equal("Pending", pod["status"]!["phase"]!.GetValue<string>());
        Assert.Equal("BestEffort", pod["status"]!["qosClass"]!.GetValue<string>());
        var spec = pod["spec"]!;
        Assert.Equal("Always", spec["restartPolicy"]!.GetValue<string>());
        Assert.Equal("ClusterFirst", spec["dnsPolicy"]!.GetValue<string>());
        Assert.Equal(30, spec["terminationGracePeriodSeconds"]!.GetValue<int>());
        Assert.Equal("default-scheduler", spec["schedulerName"]!.GetValue<string>());
        Assert.Equal("default", spec["serviceAccountName"]!.GetValue<string>());
        Assert.True(spec["enableServiceLinks"]!.GetValue<bool>());
        Assert.Equal(0, spec["priority"]!.GetValue<int>());
        Assert.Equal("{}", spec["securityContext"]!.ToJsonString());
        Assert.Equal(2, spec["tolerations"]!.AsArray().Count);
        var c = spec["containers"]![0]!;
        Assert.Equal("Always", c["imagePullPolicy"]!.GetValue<string>());
        Assert.Equal("/dev/termination-log", c["terminationMessagePath"]!.GetValue<string>());
        Assert.Equal("File", c["terminationMessagePolicy"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("nginx", "Always")]
    [InlineData("nginx:latest", "Always")]
    [InlineData("nginx:1.27", "IfNotPresent")]
    [InlineData("localhost:5000/app", "Always")]
    [InlineData("localhost:5000/app:v2", "IfNotPresent")]
    [InlineData("nginx@sha256:abc", "IfNotPresent")]
    public void ImagePullPolicy_DefaultsFromTheTag(string image, string expected)
    {
        Assert.Equal(expected, PodDefaults.PullPolicyFor(image));
    }

    [Fact]
    public void QosClass_LimitsOnly_IsGuaranteedBecauseRequestsDefaultToLimits()
    {
        var pod = Obj("{'metadata':{'name':'p'},'spec':{'containers':[{'name':'a','image':'x','resources':{'limits':{'cpu':'1','memory':'1Gi'}}}]}}");
        S.PrepareForCreate(Ctx(D), pod);
        Assert.Equal("Guaranteed", pod["status"]!["qosClass"]!.GetValue<string>());
        Assert.Equal("1Gi", pod["spec"]!["containers"]![0]!["resources"]!["requests"]!["memory"]!.GetValue<string>());
    }

    [Fact]
    public void PrepareForCreate_HostNetwork_CopiesContainerPortToHostPort()
    {
        var pod = Obj("{'metadata':{'name':'p'},'spec':{'hostNetwork':true,'containers':[{'name':'a','image':'x','ports':[{'containerPort':8080}]}]}}");
        S.PrepareForCreate(Ctx(D), pod);
        Assert.Equal("""{"containerPort":8080,"protocol":"TCP","hostPort":8080}""", pod["spec"]!["containers"]![0]!["ports"]![0]!.ToJsonString());
    }

    [Fact]
    public void PrepareForCreate_ExistingTolerationsAreKept_DefaultsAddedOnce()
    {
        var pod = Obj("{'metadata':{'name':'p'},'spec':{'tolerations':[{'key':'node.kubernetes.io/not-ready','operator':'Exists','effect':'NoExecute','tolerationSeconds':10}],'containers':[{'name':'a','image':'x'}]}}");
        S.PrepareForCreate(Ctx(D), pod);
        var t = pod["spec"]!["tolerations"]!.AsArray();
        Assert.Equal(2, t.Count);
        Assert.Equal(10, t[0]!["tolerationSeconds"]!.GetValue<int>());
        Assert.Equal("node.kubernetes.io/unreachable", t[1]!["key"]!.GetValue<string>());
    }

    [Fact]
    public void Validate_ReportsKubeFieldPathsAndMessages()
    {
        var pod = Obj("""
            {'metadata':{'name':'web'},'spec':{'restartPolicy':'Sometimes','containers':[
              {'name':'a','image':'x','ports':[{'containerPort':70000,'protocol':'HTTP'}]},
              {'name':'a'},
              {'name':'Bad_Name','image':'y'}]}}
            """);
        var errors = Render(S.Validate(Ctx(D), pod));
        Assert.Contains("spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive", errors);
        Assert.Contains("spec.containers[0].ports[0].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"", errors);
        Assert.Contains("spec.containers[1].name: Duplicate value: \"a\"", errors);
        Assert.Contains("spec.containers[1].image: Required value", errors);
        Assert.Contains(errors, e => e.StartsWith("spec.containers[2].name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 label", StringComparison.Ordinal));
        Assert.Contains("spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"", errors);
    }

    [Fact]
    public void Validate_NoContainersAndBadName_AreReported()
    {
        var errors = Render(S.Validate(Ctx(D), Obj("{'metadata':{'name':'Web'},'spec':{'containers':[]}}")));
        Assert.Contains("spec.containers: Required value", errors);
        Assert.Contains(errors, e => e.StartsWith("metadata.name: Invalid value: \"Web\": a lowercase RFC 1123 subdomain", StringComparison.Ordinal));
    }

    [Fact]
    public void ValidateUpdate_ImageChange_IsAllowed()
    {
        var old = Pod();
        S.PrepareForCreate(Ctx(D), old);
        var next = (JsonObject)old.DeepClone();
        next["spec"]!["containers"]![0]!["image"] = "nginx:1.27";
        S.PrepareForUpdate(Ctx(D), next, old);
        Assert.Empty(S.ValidateUpdate(Ctx(D), next, old));
    }

    [Fact]
    public void ValidateUpdate_OriginalManifestResent_IsNotASpecChange()
    {
        var old = Pod();
        S.PrepareForCreate(Ctx(D), old);
        var resent = Pod();
        S.PrepareForUpdate(Ctx(D), resent, old);
        Assert.Empty(S.ValidateUpdate(Ctx(D), resent, old));
    }

    [Fact]
    public void ValidateUpdate_OtherSpecChange_IsForbiddenWithKubeMessage()
    {
        var old = Pod();
        S.PrepareForCreate(Ctx(D), old);
        var next = (JsonObject)old.DeepClone();
        next["spec"]!["restartPolicy"] = "Never";
        var errors = Render(S.ValidateUpdate(Ctx(D), next, old));
        Assert.Equal(["spec: Forbidden: " + PodValidation.UpdateForbidden], errors);
        Assert.StartsWith("pod updates may not change fields other than `spec.containers[*].image`", PodValidation.UpdateForbidden);
    }

    [Fact]
    public void Binding_SetsNodeNameAndScheduledCondition()
    {
        var pod = Pod("{'phase':'Pending'}");
        ((IBindingStrategy)S).ApplyBinding(Ctx(D), pod, Obj("{'metadata':{'name':'web'},'target':{'kind':'Node','name':'node1'}}"));
        Assert.Equal("node1", pod["spec"]!["nodeName"]!.GetValue<string>());
        Assert.Equal("PodScheduled", pod["status"]!["conditions"]![0]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void Binding_AlreadyBoundPod_Returns409WithKubeMessage()
    {
        var pod = Pod("{'phase':'Pending'}", ",'nodeName':'node1'");
        var ex = Assert.Throws<ApiError>(() =>
            ((IBindingStrategy)S).ApplyBinding(Ctx(D), pod, Obj("{'metadata':{'name':'web'},'target':{'name':'node2'}}")));
        Assert.Equal(409, ex.Code);
        Assert.Equal("Operation cannot be fulfilled on pods/binding \"web\": pod web is already assigned to node \"node1\"", ex.Message);
    }

    [Fact]
    public void Binding_WithoutTargetName_Returns422()
    {
        var ex = Assert.Throws<ApiError>(() => ((IBindingStrategy)S).ApplyBinding(Ctx(D), Pod(), Obj("{'metadata':{'name':'web'},'target':{}}")));
        Assert.Equal(422, ex.Code);
        Assert.Equal("target.name", ex.Causes[0].Field);
    }

    [Fact]
    public async Task Log_Returns400ExplainingThereIsNoNodeAgent()
    {
        var ex = await Assert.ThrowsAsync<ApiError>(() => ((ILogStrategy)S).GetLogAsync(Ctx(D), Pod(), null, CancellationToken.None));
        Assert.Equal(400, ex.Code);
        Assert.Contains("this server runs no node agent", ex.Message);
        var bad = await Assert.ThrowsAsync<ApiError>(() => ((ILogStrategy)S).GetLogAsync(Ctx(D), Pod(), "sidecar", CancellationToken.None));
        Assert.Equal("container sidecar is not valid for pod web", bad.Message);
    }

    [Fact]
    public void Fields_ExposeSelectableValues()
    {
        var pod = Pod("{'phase':'Running','podIP':'10.0.0.3'}", ",'nodeName':'node1','restartPolicy':'Never'");
        var f = S.GetFields(pod);
        Assert.Equal("node1", f["spec.nodeName"]);
        Assert.Equal("Running", f["status.phase"]);
        Assert.Equal("10.0.0.3", f["status.podIP"]);
        Assert.Equal("false", f["spec.hostNetwork"]);
        Assert.Equal(D.SelectableFields.Order(), f.Keys.Order());
    }
}
