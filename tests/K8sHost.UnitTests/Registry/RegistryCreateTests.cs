using System.Text.Json.Nodes;
using K8sHost.ApiMachinery;
using K8sHost.ApiMachinery.Errors;
using K8sHost.Registry.Contracts;
using Xunit;
using static K8sHost.UnitTests.Registry.RegistryHarness;

namespace K8sHost.UnitTests.Registry;

public sealed class RegistryCreateTests
{
    [Fact]
    public async Task Create_SetsServerFieldsAndIsReadableImmediately()
    {
        await using var h = await StartAsync();
        var created = await h.CreatePodAsync("web");
        Assert.True(created.Created);
        var got = await h.Registry.GetAsync(h.Rc, TestKinds.Pods, "default", "web", new GetOptions(), Ct);
        Assert.Equal(created.Object.Revision.ToString(), got.At("metadata", "resourceVersion"));
        Assert.True(Guid.TryParse(got.At("metadata", "uid"), out _));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", got.At("metadata", "creationTimestamp"));
        Assert.Equal("1", got.At("metadata", "generation"));
        Assert.Equal("Pod", got.At("kind"));
        Assert.Equal("v1", got.At("apiVersion"));
        Assert.Equal("default", got.At("metadata", "namespace"));
    }

    [Fact]
    public async Task Create_KindWithoutSpec_HasNoGeneration()
    {
        await using var h = await StartAsync();
        var created = await h.CreateConfigMapAsync("cfg");
        Assert.Null(created.Object.At("metadata", "generation"));
    }

    [Fact]
    public async Task Create_StoredBytesNeverContainResourceVersion()
    {
        await using var h = await StartAsync();
        var created = await h.CreateConfigMapAsync("cfg");
        var kv = (await h.Store.GetAsync(created.Object.Key)).Value!;
        Assert.DoesNotContain("resourceVersion", System.Text.Encoding.UTF8.GetString(kv.Value));
    }

    [Fact]
    public async Task Create_WithGenerateName_AppendsFiveAllowedCharacters()
    {
        await using var h = await StartAsync();
        var obj = Obj("""{"metadata":{"generateName":"job-"},"data":{}}""");
        var created = await h.Registry.CreateAsync(h.Rc, TestKinds.ConfigMaps, "default", obj, new WriteOptions(), Ct);
        Assert.Matches("^job-[bcdfghjklmnpqrstvwxz2456789]{5}$", created.Object.Name);
    }

    [Fact]
    public async Task Create_Duplicate_Returns409AlreadyExists()
    {
        await using var h = await StartAsync();
        await h.CreateConfigMapAsync("cfg");
        var e = await Assert.ThrowsAsync<ApiError>(() => h.CreateConfigMapAsync("cfg"));
        Assert.Equal(409, e.Code);
        Assert.Equal("AlreadyExists", e.Reason);
        Assert.Equal("configmaps \"cfg\" already exists", e.Message);
    }

    [Fact]
    public async Task Create_InMissingNamespace_Returns404()
    {
        await using var h = await StartAsync();
        var e = await Assert.ThrowsAsync<ApiError>(() => h.CreateConfigMapAsync("cfg", ns: "nope"));
        Assert.Equal(404, e.Code);
        Assert.Equal("namespaces \"nope\" not found", e.Message);
    }

    [Fact]
    public async Task Create_InTerminatingNamespace_Returns403()
    {
        await using var h = await StartAsync();
        await h.CreateNamespaceAsync("dying");
        await h.Registry.DeleteAsync(h.Rc, TestKinds.Namespaces, null, "dying", new DeleteOptions(), Ct);
        var e = await Assert.ThrowsAsync<ApiError>(() => h.CreateConfigMapAsync("cfg", ns: "dying"));
        Assert.Equal(403, e.Code);
        Assert.Equal("configmaps \"cfg\" is forbidden: unable to create new content in namespace dying because it is being terminated", e.Message);
    }

    [Fact]
    public async Task Create_BodyNamespaceMismatch_Returns400()
    {
        await using var h = await StartAsync();
        var obj = Obj("""{"metadata":{"name":"a","namespace":"other"}}""");
        var e = await Assert.ThrowsAsync<ApiError>(() => h.Registry.CreateAsync(h.Rc, TestKinds.ConfigMaps, "default", obj, new WriteOptions(), Ct));
        Assert.Equal(400, e.Code);
        Assert.Equal("the namespace of the provided object does not match the namespace sent on the request", e.Message);
    }

    [Fact]
    public async Task Create_WrongKind_Returns400()
    {
        await using var h = await StartAsync();
        var obj = Obj("""{"kind":"Secret","apiVersion":"v1","metadata":{"name":"a"}}""");
        var e = await Assert.ThrowsAsync<ApiError>(() => h.Registry.CreateAsync(h.Rc, TestKinds.ConfigMaps, "default", obj, new WriteOptions(), Ct));
        Assert.Equal(400, e.Code);
    }

    [Fact]
    public async Task Create_WithoutName_Returns422WithCause()
    {
        await using var h = await StartAsync();
        var e = await Assert.ThrowsAsync<ApiError>(() =>
            h.Registry.CreateAsync(h.Rc, TestKinds.ConfigMaps, "default", Obj("""{"metadata":{}}"""), new WriteOptions(), Ct));
        Assert.Equal(422, e.Code);
        Assert.Contains(e.Causes, c => c.Field == "metadata.name");
    }

    [Fact]
    public async Task Create_StrategyValidationFailure_Returns422()
    {
        await using var h = await StartAsync();
        var e = await Assert.ThrowsAsync<ApiError>(() => h.CreateConfigMapAsync("cfg", data: """{"invalid":"x"}"""));
        Assert.Equal(422, e.Code);
        Assert.Equal("Invalid", e.Reason);
        Assert.Contains(e.Causes, c => c.Field == "data[invalid]");
    }

    [Fact]
    public async Task Create_UnknownFieldStrict_Returns400_AndWarnPrunesWithWarning()
    {
        await using var h = await StartAsync();
        var strict = new WriteOptions { FieldValidation = FieldValidation.Strict };
        var e = await Assert.ThrowsAsync<ApiError>(() =>
            h.Registry.CreateAsync(h.Rc, TestKinds.ConfigMaps, "default", Obj("""{"metadata":{"name":"a"},"bogus":1}"""), strict, Ct));
        Assert.Equal(400, e.Code);

        var warned = await h.Registry.CreateAsync(h.Rc, TestKinds.ConfigMaps, "default", Obj("""{"metadata":{"name":"a"},"bogus":1}"""),
            new WriteOptions(), Ct);
        Assert.Contains(warned.Warnings, w => w.Contains("bogus"));
        Assert.Null(warned.Object.Json()["bogus"]);
    }

    [Fact]
    public async Task Create_WithResourceVersion_Returns400()
    {
        await using var h = await StartAsync();
        var e = await Assert.ThrowsAsync<ApiError>(() =>
            h.Registry.CreateAsync(h.Rc, TestKinds.ConfigMaps, "default", Obj("""{"metadata":{"name":"a","resourceVersion":"5"}}"""), new WriteOptions(), Ct));
        Assert.Equal(400, e.Code);
    }

    [Fact]
    public async Task Create_DryRun_ReturnsObjectButStoresNothing()
    {
        await using var h = await StartAsync();
        var before = await h.Store.GetCurrentRevisionAsync();
        var result = await h.Registry.CreateAsync(h.Rc, TestKinds.ConfigMaps, "default", Obj("""{"metadata":{"name":"dry"}}"""),
            new WriteOptions { DryRun = true }, Ct);
        Assert.Equal("dry", result.Object.Name);
        Assert.NotNull(result.Object.At("metadata", "uid"));
        Assert.Equal(before, await h.Store.GetCurrentRevisionAsync());
        var e = await Assert.ThrowsAsync<ApiError>(() => h.Registry.GetAsync(h.Rc, TestKinds.ConfigMaps, "default", "dry", new GetOptions(), Ct));
        Assert.Equal(404, e.Code);
    }

    [Fact]
    public async Task Create_ClusterScoped_DropsNamespace()
    {
        await using var h = await StartAsync();
        var ns = await h.Registry.CreateAsync(h.Rc, TestKinds.Namespaces, null, Obj("""{"metadata":{"name":"team-a"}}"""), new WriteOptions(), Ct);
        Assert.Null(ns.Object.At("metadata", "namespace"));
        Assert.EndsWith("/namespaces/team-a", ns.Object.Key);
    }

    [Fact]
    public async Task Get_Missing_Returns404WithKubeMessage()
    {
        await using var h = await StartAsync();
        var e = await Assert.ThrowsAsync<ApiError>(() => h.Registry.GetAsync(h.Rc, TestKinds.Pods, "default", "ghost", new GetOptions(), Ct));
        Assert.Equal(404, e.Code);
        Assert.Equal("pods \"ghost\" not found", e.Message);
    }

    [Fact]
    public async Task Get_WithFutureResourceVersion_Returns504TooLarge()
    {
        await using var h = await StartAsync(o => o.WaitTimeout = TimeSpan.FromMilliseconds(300));
        await h.CreateConfigMapAsync("cfg");
        var e = await Assert.ThrowsAsync<ApiError>(() =>
            h.Registry.GetAsync(h.Rc, TestKinds.ConfigMaps, "default", "cfg", new GetOptions("999999"), Ct));
        Assert.Equal(504, e.Code);
        Assert.Equal("Timeout", e.Reason);
        Assert.Contains("Too large resource version", e.Message);
    }

    [Fact]
    public async Task Get_WithGarbageResourceVersion_Returns400()
    {
        await using var h = await StartAsync();
        var e = await Assert.ThrowsAsync<ApiError>(() =>
            h.Registry.GetAsync(h.Rc, TestKinds.ConfigMaps, "default", "cfg", new GetOptions("abc"), Ct));
        Assert.Equal(400, e.Code);
    }

    [Fact]
    public async Task Tenants_AreIsolated()
    {
        await using var h = await StartAsync();
        await h.CreateConfigMapAsync("cfg");
        var other = new RequestContext(new Tenant("org2", "proj2"), RequestContext.System.User);
        var list = await h.Registry.ListAsync(other, TestKinds.ConfigMaps, "default", new ListOptions(), Ct);
        Assert.Empty(list.Items);
        var e = await Assert.ThrowsAsync<ApiError>(() =>
            h.Registry.CreateAsync(other, TestKinds.ConfigMaps, "default", Obj("""{"metadata":{"name":"x"}}"""), new WriteOptions(), Ct));
        Assert.Equal(404, e.Code); // org2 has no "default" namespace
    }

    [Fact]
    public async Task Create_ServedJsonKeepsQuotesAndNonAsciiReadable()
    {
        await using var h = await StartAsync();
        var created = await h.CreateConfigMapAsync("cfg", data: """{"a":"say \"hi\" – ü"}""");
        var text = System.Text.Encoding.UTF8.GetString(created.Object.Json);
        Assert.Contains("say \\\"hi\\\" – ü", text);
    }
}
