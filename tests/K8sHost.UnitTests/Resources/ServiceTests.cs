using System.Text.Json.Nodes;
using K8sHost.Registry.Catalog;
using K8sHost.Resources.Services;
using Xunit;
using static K8sHost.UnitTests.Resources.KindTestKit;

namespace K8sHost.UnitTests.Resources;

public class ServiceTests
{
    private static readonly ResourceDescriptor D = ServiceKind.Descriptor;
    private static IResourceStrategy S => D.Strategy;

    private static JsonObject Svc(string spec, string status = "{}") => Obj($$"""
        {'metadata':{'name':'web','namespace':'default','creationTimestamp':'{{Ago(TimeSpan.FromDays(3))}}'},'spec':{{spec}},'status':{{status}}}
        """);

    [Fact]
    public void Cells_ClusterIpService_MatchKubePrinter()
    {
        var svc = Svc("{'type':'ClusterIP','clusterIP':'10.96.0.10','clusterIPs':['10.96.0.10'],'selector':{'app':'web','tier':'fe'},'ports':[{'port':80,'protocol':'TCP'}]}");
        Assert.Equal(["web", "ClusterIP", "10.96.0.10", "<none>", "80/TCP", "3d", "app=web,tier=fe"], S.GetCells(svc, Now));
    }

    [Fact]
    public void PortString_ShowsNodePortsAndProtocols()
    {
        var svc = Svc("{'type':'NodePort','clusterIPs':['10.96.0.11'],'ports':[{'port':80,'protocol':'TCP'},{'port':443,'nodePort':30443,'protocol':'TCP'},{'port':53,'protocol':'UDP'}]}");
        Assert.Equal("80/TCP,443:30443/TCP,53/UDP", S.GetCells(svc, Now)[4]);
        Assert.Equal("<none>", S.GetCells(svc, Now)[6]);
    }

    [Theory]
    [InlineData("{'type':'LoadBalancer','ports':[{'port':80,'protocol':'TCP'}]}", "{}", "<pending>")]
    [InlineData("{'type':'LoadBalancer','ports':[{'port':80,'protocol':'TCP'}]}", "{'loadBalancer':{'ingress':[{'ip':'1.2.3.4'},{'hostname':'lb.example.com'}]}}", "1.2.3.4,lb.example.com")]
    [InlineData("{'type':'ClusterIP','externalIPs':['5.6.7.8'],'ports':[{'port':80,'protocol':'TCP'}]}", "{}", "5.6.7.8")]
    [InlineData("{'type':'ExternalName','externalName':'db.example.com'}", "{}", "db.example.com")]
    public void ExternalIpColumn_DependsOnType(string spec, string status, string expected)
    {
        Assert.Equal(expected, S.GetCells(Svc(spec, status), Now)[3]);
    }

    [Fact]
    public void HeadlessServiceWithoutPorts_PrintsNone()
    {
        var svc = Svc("{'type':'ClusterIP','clusterIP':'None','clusterIPs':['None']}");
        Assert.Equal(["web", "ClusterIP", "None", "<none>", "<none>", "3d", "<none>"], S.GetCells(svc, Now));
    }

    [Fact]
    public void PrepareForCreate_AppliesKubeDefaults()
    {
        var svc = Svc("{'type':'NodePort','ports':[{'port':80}]}", "{'loadBalancer':{'ingress':[{'ip':'9.9.9.9'}]}}");
        S.PrepareForCreate(Ctx(D), svc);
        Assert.Equal(
            """{"type":"NodePort","ports":[{"port":80,"protocol":"TCP","targetPort":80}],"sessionAffinity":"None","internalTrafficPolicy":"Cluster","externalTrafficPolicy":"Cluster","ipFamilyPolicy":"SingleStack","ipFamilies":["IPv4"]}""",
            svc["spec"]!.ToJsonString());
        Assert.Equal("""{"loadBalancer":{}}""", svc["status"]!.ToJsonString());
    }

    [Fact]
    public void PrepareForCreate_ClusterIpService_HasNoExternalTrafficPolicy()
    {
        var svc = Svc("{'ports':[{'port':80,'targetPort':'http'}]}");
        S.PrepareForCreate(Ctx(D), svc);
        Assert.Equal("ClusterIP", svc["spec"]!["type"]!.GetValue<string>());
        Assert.Null(svc["spec"]!["externalTrafficPolicy"]);
        Assert.Equal("http", svc["spec"]!["ports"]![0]!["targetPort"]!.GetValue<string>());
    }

    [Fact]
    public void Validate_ReportsKubeFieldPathsAndMessages()
    {
        var svc = Svc("""
            {'type':'ClusterIP','ports':[{'port':0,'protocol':'TCP'},{'name':'a','port':80,'protocol':'ICMP','nodePort':30080},{'name':'a','port':81,'protocol':'TCP'}]}
            """);
        var errors = Render(S.Validate(Ctx(D), svc));
        Assert.Contains("spec.ports[0].name: Required value", errors);
        Assert.Contains("spec.ports[0].port: Required value", errors);
        Assert.Contains("spec.ports[1].protocol: Unsupported value: \"ICMP\": supported values: \"SCTP\", \"TCP\", \"UDP\"", errors);
        Assert.Contains("spec.ports[1].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'", errors);
        Assert.Contains("spec.ports[2].name: Duplicate value: \"a\"", errors);
    }

    [Fact]
    public void Validate_NoPorts_RequiredUnlessHeadless()
    {
        Assert.Equal(["spec.ports: Required value"], Render(S.Validate(Ctx(D), Svc("{'type':'ClusterIP'}"))));
        Assert.Empty(S.Validate(Ctx(D), Svc("{'type':'ClusterIP','clusterIP':'None'}")));
    }

    [Fact]
    public void Validate_NameMustBeDns1035Label()
    {
        var svc = Obj("{'metadata':{'name':'1web'},'spec':{'type':'ClusterIP','ports':[{'port':80,'protocol':'TCP'}]}}");
        var errors = Render(S.Validate(Ctx(D), svc));
        Assert.Contains(errors, e => e.StartsWith("metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_RequestedClusterIpOutsideRange_Returns422Message()
    {
        var svc = Svc("{'type':'ClusterIP','clusterIP':'1.2.3.4','ports':[{'port':80,'protocol':'TCP'}]}");
        Assert.Equal(
            ["spec.clusterIPs: Invalid value: \"1.2.3.4\": failed to allocate IP 1.2.3.4: provided IP (1.2.3.4) is not in the valid range. The range of valid IPs is 10.96.0.0/16"],
            Render(S.Validate(Ctx(D), svc)));
    }

    [Fact]
    public void Validate_UsesConfiguredRanges()
    {
        var services = new Services(new ServiceNetworkOptions { ServiceClusterIpRange = "172.20.0.0/24", ServiceNodePortRange = "31000-31010" });
        var svc = Svc("{'type':'NodePort','clusterIP':'10.96.0.5','ports':[{'port':80,'protocol':'TCP','nodePort':30080}]}");
        var errors = Render(S.Validate(Ctx(D, services), svc));
        Assert.Contains("spec.ports[0].nodePort: Invalid value: 30080: provided port is not in the valid range. The range of valid ports is 31000-31010", errors);
        Assert.Contains(errors, e => e.EndsWith("The range of valid IPs is 172.20.0.0/24", StringComparison.Ordinal));
    }

    [Fact]
    public void ValidateUpdate_ClusterIpChange_IsRejected()
    {
        var old = Svc("{'type':'ClusterIP','clusterIP':'10.96.0.10','clusterIPs':['10.96.0.10'],'ports':[{'port':80,'protocol':'TCP'}]}");
        var next = Svc("{'type':'ClusterIP','clusterIP':'10.96.0.11','clusterIPs':['10.96.0.11'],'ports':[{'port':80,'protocol':'TCP'}]}");
        Assert.Equal(["spec.clusterIPs[0]: Invalid value: \"10.96.0.11\": may not change once set"], Render(S.ValidateUpdate(Ctx(D), next, old)));
    }

    [Fact]
    public void PrepareForUpdate_OmittedClusterIpAndNodePort_AreKept()
    {
        var old = Svc("{'type':'NodePort','clusterIP':'10.96.0.10','clusterIPs':['10.96.0.10'],'ports':[{'port':80,'protocol':'TCP','nodePort':30080}]}", "{'loadBalancer':{}}");
        var next = Svc("{'type':'NodePort','ports':[{'port':80}]}");
        S.PrepareForUpdate(Ctx(D), next, old);
        Assert.Equal("10.96.0.10", next["spec"]!["clusterIP"]!.GetValue<string>());
        Assert.Equal(30080, next["spec"]!["ports"]![0]!["nodePort"]!.GetValue<long>());
        Assert.Empty(S.ValidateUpdate(Ctx(D), next, old));
    }

    [Fact]
    public void Fields_ExposeTypeAndClusterIp()
    {
        var f = S.GetFields(Svc("{'type':'NodePort','clusterIP':'10.96.0.9'}"));
        Assert.Equal("NodePort", f["spec.type"]);
        Assert.Equal("10.96.0.9", f["spec.clusterIP"]);
    }
}

public class ServiceTypeChangeTests
{
    private static readonly ResourceDescriptor D = ServiceKind.Descriptor;

    private static JsonObject Created(string spec)
    {
        var svc = Obj($"{{'metadata':{{'name':'web'}},'spec':{spec}}}");
        D.Strategy.PrepareForCreate(Ctx(D), svc);
        return svc;
    }

    [Fact]
    public void NodePortToClusterIp_WithUnchangedNodePorts_DropsThemAndExternalTrafficPolicy()
    {
        var old = Created("{'type':'NodePort','clusterIP':'10.96.0.7','ports':[{'port':80,'nodePort':30080}]}");
        var next = (JsonObject)old.DeepClone();
        next["spec"]!["type"] = "ClusterIP";
        D.Strategy.PrepareForUpdate(Ctx(D), next, old);
        Assert.Null(next["spec"]!["ports"]![0]!["nodePort"]);
        Assert.Null(next["spec"]!["externalTrafficPolicy"]);
        Assert.Equal("10.96.0.7", next["spec"]!["clusterIP"]!.GetValue<string>());
        Assert.Empty(D.Strategy.ValidateUpdate(Ctx(D), next, old));
    }

    [Fact]
    public void ClusterIpToExternalName_DropsTheClusterIp()
    {
        var old = Created("{'type':'ClusterIP','clusterIP':'10.96.0.7','ports':[{'port':80}]}");
        var next = (JsonObject)old.DeepClone();
        next["spec"]!["type"] = "ExternalName";
        next["spec"]!["externalName"] = "db.example.com";
        D.Strategy.PrepareForUpdate(Ctx(D), next, old);
        Assert.Null(next["spec"]!["clusterIP"]);
        Assert.Null(next["spec"]!["ipFamilies"]);
        Assert.Empty(D.Strategy.ValidateUpdate(Ctx(D), next, old));
    }

    [Fact]
    public void NodePortToClusterIp_WithAChangedNodePort_KeepsItAndFailsValidation()
    {
        var old = Created("{'type':'NodePort','clusterIP':'10.96.0.7','ports':[{'port':80,'nodePort':30080}]}");
        var next = (JsonObject)old.DeepClone();
        next["spec"]!["type"] = "ClusterIP";
        next["spec"]!["ports"]![0]!["nodePort"] = 30081;
        D.Strategy.PrepareForUpdate(Ctx(D), next, old);
        Assert.Contains("spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'", Render(D.Strategy.ValidateUpdate(Ctx(D), next, old)));
    }
}
