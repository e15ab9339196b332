using System.Net;
using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;
using K8sHost.Registry.Catalog;
using K8sHost.Registry.Contracts;
using K8sHost.Resources.Services;
using K8sHost.Storage;
using K8sHost.Storage.Sqlite;
using Xunit;
using static K8sHost.UnitTests.Resources.KindTestKit;

namespace K8sHost.UnitTests.Resources;

/// <summary>Cluster IP and node port allocation against a real SQLite store file.</summary>
public sealed class ServiceAllocationTests : IAsyncLifetime
{
    private static readonly ResourceDescriptor D = ServiceKind.Descriptor;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "k8shost-alloc-" + Guid.NewGuid().ToString("N"));
    private SqliteStore _store = null!;
    private static IAllocatingStrategy A => (IAllocatingStrategy)D.Strategy;

    public async Task InitializeAsync() => _store = await Open();

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        try { Directory.Delete(_dir, true); } catch (IOException) { } // WAL files may linger briefly on some systems
    }

    private Task<SqliteStore> Open() =>
        SqliteStore.OpenAsync(new SqliteStoreSettings { Path = Path.Combine(_dir, "store.db"), RunBackgroundCompactor = false });

    private StrategyContext Ctx(IResourceStore store, ServiceNetworkOptions? options = null, Tenant? tenant = null) =>
        KindTestKit.Ctx(D, new Services(store, options ?? new ServiceNetworkOptions()), tenant);

    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    private static JsonObject Svc(string name, string spec) =>
        Obj($"{{'metadata':{{'name':'{name}','namespace':'default','uid':'uid-{name}'}},'spec':{spec}}}");

    private async Task<JsonObject> Create(StrategyContext ctx, string name, string spec)
    {
        var svc = Svc(name, spec);
        D.Strategy.PrepareForCreate(ctx, svc);
        Assert.Empty(D.Strategy.Validate(ctx, svc));
        await A.AllocateAsync(ctx, svc, null, Timeout);
        return svc;
    }

    [Fact]
    public async Task Allocate_FirstDynamicIp_SkipsTheKubernetesServiceAddress()
    {
        var svc = await Create(Ctx(_store), "web", "{'ports':[{'port':80}]}");
        Assert.Equal("10.96.0.2", svc["spec"]!["clusterIP"]!.GetValue<string>());
        Assert.Equal("""["10.96.0.2"]""", svc["spec"]!["clusterIPs"]!.ToJsonString());
        var key = await _store.GetAsync("k8s/default-org/default-project/_allocations/serviceips/10.96.0.2");
        Assert.True(key.IsOk);
    }

    [Fact]
    public async Task Allocate_RequestedIp_IsHonouredAndThenAlreadyAllocated()
    {
        var ctx = Ctx(_store);
        var kube = await Create(ctx, "kubernetes", "{'clusterIP':'10.96.0.1','ports':[{'port':443}]}");
        Assert.Equal("10.96.0.1", kube["spec"]!["clusterIP"]!.GetValue<string>());
        var dup = Svc("other", "{'clusterIP':'10.96.0.1','ports':[{'port':443}]}");
        D.Strategy.PrepareForCreate(ctx, dup);
        var ex = await Assert.ThrowsAsync<ApiError>(() => A.AllocateAsync(ctx, dup, null, Timeout));
        Assert.Equal(422, ex.Code);
        Assert.Equal("Service \"other\" is invalid: spec.clusterIPs: Invalid value: \"10.96.0.1\": failed to allocate IP 10.96.0.1: provided IP is already allocated", ex.Message);
    }

    [Fact]
    public async Task Allocate_HeadlessAndExternalName_TakeNoIp()
    {
        var ctx = Ctx(_store);
        var headless = await Create(ctx, "db", "{'clusterIP':'None'}");
        Assert.Equal("""["None"]""", headless["spec"]!["clusterIPs"]!.ToJsonString());
        var ext = await Create(ctx, "ext", "{'type':'ExternalName','externalName':'db.example.com'}");
        Assert.Null(ext["spec"]!["clusterIP"]);
        var used = await _store.ListAsync("k8s/default-org/default-project/_allocations/", null, 0);
        Assert.Empty(used.Value!.Items);
    }

    [Fact]
    public async Task Allocate_NodePorts_DynamicAndRequestedAreUnique()
    {
        var ctx = Ctx(_store);
        var a = await Create(ctx, "a", "{'type':'NodePort','ports':[{'name':'http','port':80},{'name':'https','port':443,'nodePort':30000}]}");
        Assert.Equal(30000, a["spec"]!["ports"]![1]!["nodePort"]!.GetValue<long>());
        Assert.Equal(30001, a["spec"]!["ports"]![0]!["nodePort"]!.GetValue<long>());
        var b = Svc("b", "{'type':'NodePort','ports':[{'port':80,'nodePort':30001}]}");
        D.Strategy.PrepareForCreate(ctx, b);
        var ex = await Assert.ThrowsAsync<ApiError>(() => A.AllocateAsync(ctx, b, null, Timeout));
        Assert.Equal("spec.ports[0].nodePort", ex.Causes[0].Field);
        Assert.Equal("Invalid value: 30001: provided port is already allocated", ex.Causes[0].Message);
        // The failed create must not keep the cluster IP it had claimed before the port clash.
        Assert.False((await _store.GetAsync("k8s/default-org/default-project/_allocations/serviceips/10.96.0.3")).IsOk);
    }

    [Fact]
    public async Task Release_FreesIpAndPortsForReuse()
    {
        var ctx = Ctx(_store);
        var a = await Create(ctx, "a", "{'type':'NodePort','ports':[{'port':80}]}");
        await A.ReleaseAsync(ctx, a, null, Timeout);
        var b = await Create(ctx, "b", "{'type':'NodePort','ports':[{'port':80}]}");
        Assert.Equal("10.96.0.2", b["spec"]!["clusterIP"]!.GetValue<string>());
        Assert.Equal(30000, b["spec"]!["ports"]![0]!["nodePort"]!.GetValue<long>());
    }

    [Fact]
    public async Task Release_KeepsWhatTheSurvivingVersionStillUses()
    {
        var ctx = Ctx(_store);
        var old = await Create(ctx, "a", "{'type':'NodePort','ports':[{'port':80}]}");
        // Update NodePort → ClusterIP: the node port goes, the cluster IP stays.
        var next = (JsonObject)old.DeepClone();
        next["spec"]!["type"] = "ClusterIP";
        next["spec"]!["ports"]![0]!.AsObject().Remove("nodePort");
        await A.AllocateAsync(ctx, next, old, Timeout);
        await A.ReleaseAsync(ctx, old, next, Timeout);
        Assert.True((await _store.GetAsync("k8s/default-org/default-project/_allocations/serviceips/10.96.0.2")).IsOk);
        Assert.False((await _store.GetAsync("k8s/default-org/default-project/_allocations/servicenodeports/30000")).IsOk);
    }

    [Fact]
    public async Task Release_DoesNotFreeAValueAnotherServiceNowHolds()
    {
        var ctx = Ctx(_store);
        var a = await Create(ctx, "a", "{'ports':[{'port':80}]}");
        await A.ReleaseAsync(ctx, a, null, Timeout);
        var b = await Create(ctx, "b", "{'ports':[{'port':80}]}");
        await A.ReleaseAsync(ctx, a, null, Timeout); // a late, duplicate release of a's old IP
        Assert.Equal(b["spec"]!["clusterIP"]!.GetValue<string>(), a["spec"]!["clusterIP"]!.GetValue<string>());
        Assert.True((await _store.GetAsync("k8s/default-org/default-project/_allocations/serviceips/10.96.0.2")).IsOk);
    }

    [Fact]
    public async Task Allocate_TwentyConcurrentCreates_GetDistinctIpsAndPorts()
    {
        var ctx = Ctx(_store);
        var services = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            Task.Run(() => Create(ctx, $"s{i}", "{'type':'NodePort','ports':[{'port':80}]}"))));
        var ips = services.Select(s => s["spec"]!["clusterIP"]!.GetValue<string>()).ToList();
        var ports = services.Select(s => s["spec"]!["ports"]![0]!["nodePort"]!.GetValue<long>()).ToList();
        Assert.Equal(20, ips.Distinct().Count());
        Assert.Equal(20, ports.Distinct().Count());
        Assert.All(ips, ip => Assert.StartsWith("10.96.0.", ip));
        Assert.DoesNotContain("10.96.0.1", ips);
        Assert.All(ports, p => Assert.InRange(p, 30000, 32767));
    }

    [Fact]
    public async Task Allocations_SurviveARestartOfTheStore()
    {
        await Create(Ctx(_store), "a", "{'ports':[{'port':80}]}");
        await _store.DisposeAsync();
        _store = await Open();
        var b = await Create(Ctx(_store), "b", "{'ports':[{'port':80}]}");
        Assert.Equal("10.96.0.3", b["spec"]!["clusterIP"]!.GetValue<string>());
    }

    [Fact]
    public async Task Allocations_AreSeparatePerTenant()
    {
        await Create(Ctx(_store), "a", "{'ports':[{'port':80}]}");
        var other = await Create(Ctx(_store, tenant: new Tenant("org2", "p")), "a", "{'ports':[{'port':80}]}");
        Assert.Equal("10.96.0.2", other["spec"]!["clusterIP"]!.GetValue<string>());
    }

    [Fact]
    public async Task Allocate_FullRange_Returns500RangeIsFull()
    {
        // A /29 has 8 addresses: network, .1 (kubernetes), five dynamic, broadcast.
        var ctx = Ctx(_store, new ServiceNetworkOptions { ServiceClusterIpRange = "10.0.0.0/29" });
        var ips = new List<string>();
        for (var i = 0; i < 5; i++) ips.Add((await Create(ctx, $"s{i}", "{'ports':[{'port':80}]}"))["spec"]!["clusterIP"]!.GetValue<string>());
        Assert.Equal(["10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6"], ips);
        var ex = await Assert.ThrowsAsync<ApiError>(() => Create(ctx, "full", "{'ports':[{'port':80}]}"));
        Assert.Equal(500, ex.Code);
        Assert.Contains("range is full", ex.Message);
    }

    [Fact]
    public async Task Allocate_Ipv6Range_GivesIpv6AddressesAndFamily()
    {
        var ctx = Ctx(_store, new ServiceNetworkOptions { ServiceClusterIpRange = "fd00:10:96::/112" });
        var svc = await Create(ctx, "v6", "{'ports':[{'port':80}]}");
        Assert.Equal(IPAddress.Parse("fd00:10:96::2").ToString(), svc["spec"]!["clusterIP"]!.GetValue<string>());
        Assert.Equal("""["IPv6"]""", svc["spec"]!["ipFamilies"]!.ToJsonString());
    }

    [Fact]
    public void Options_BadRange_FailsValidation()
    {
        Assert.Throws<FormatException>(() => new ServiceNetworkOptions { ServiceClusterIpRange = "10.96.0.0" }.Validate());
        Assert.Throws<FormatException>(() => new ServiceNetworkOptions { ServiceNodePortRange = "32767-30000" }.Validate());
    }
}
