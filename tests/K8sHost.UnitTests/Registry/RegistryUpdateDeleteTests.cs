using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;
using K8sHost.Registry.Contracts;
using Xunit;
using static K8sHost.UnitTests.Registry.RegistryHarness;

namespace K8sHost.UnitTests.Registry;

public sealed class RegistryUpdateDeleteTests
{
    private static Task<WriteResult> Put(RegistryHarness h, JsonObject obj, string? sub = null) =>
        h.Registry.UpdateAsync(h.Rc, obj["kind"]?.GetValue<string>() == "Pod" ? TestKinds.Pods : TestKinds.ConfigMaps, "default",
            obj["metadata"]!["name"]!.GetValue<string>(), sub, obj, new WriteOptions(), Ct);

    [Fact]
    public async Task Update_WithStaleResourceVersion_Returns409Conflict()
    {
        await using var h = await StartAsync();
        var v1 = (await h.CreateConfigMapAsync("cfg")).Object;
        var first = v1.Json();
        first["data"] = new JsonObject { ["a"] = "1" };
        await Put(h, first);
        var stale = v1.Json();
        stale["data"] = new JsonObject { ["a"] = "2" };
        var e = await Assert.ThrowsAsync<ApiError>(() => Put(h, stale));
        Assert.Equal(409, e.Code);
        Assert.Equal("Conflict", e.Reason);
        Assert.Equal($"Operation cannot be fulfilled on configmaps \"cfg\": {ApiError.ModifiedMessage}", e.Message);
    }

    [Fact]
    public async Task Update_WithoutResourceVersion_IsUnconditional()
    {
        await using var h = await StartAsync();
        await h.CreateConfigMapAsync("cfg");
        var body = Obj("""{"kind":"ConfigMap","metadata":{"name":"cfg"},"data":{"x":"y"}}""");
        var updated = await Put(h, body);
        Assert.Equal("y", updated.Object.At("data", "x"));
    }

    [Fact]
    public async Task Update_Missing_Returns404()
    {
        await using var h = await StartAsync();
        var e = await Assert.ThrowsAsync<ApiError>(() => Put(h, Obj("""{"metadata":{"name":"ghost"}}""")));
        Assert.Equal(404, e.Code);
    }

    [Fact]
    public async Task Update_NameMismatch_Returns400()
    {
        await using var h = await StartAsync();
        await h.CreateConfigMapAsync("cfg");
        var e = await Assert.ThrowsAsync<ApiError>(() => h.Registry.UpdateAsync(h.Rc, TestKinds.ConfigMaps, "default", "cfg", null,
            Obj("""{"metadata":{"name":"other"}}"""), new WriteOptions(), Ct));
        Assert.Equal(400, e.Code);
    }

    [Fact]
    public async Task Update_ThatChangesNothing_DoesNotWrite()
    {
        await using var h = await StartAsync();
        var v1 = (await h.CreateConfigMapAsync("cfg", data: """{"a":"1"}""")).Object;
        var before = await h.Store.GetCurrentRevisionAsync();
        var same = await Put(h, v1.Json());
        Assert.Equal(v1.Revision, same.Object.Revision);
        Assert.Equal(before, await h.Store.GetCurrentRevisionAsync());
    }

    [Fact]
    public async Task Update_KeepsUidAndCreationTimestamp_AndRejectsUidChange()
    {
        await using var h = await StartAsync();
        var v1 = (await h.CreateConfigMapAsync("cfg")).Object;
        var body = v1.Json();
        body["metadata"]!.AsObject().Remove("creationTimestamp");
        body["data"] = new JsonObject { ["k"] = "v" };
        var v2 = (await Put(h, body)).Object;
        Assert.Equal(v1.At("metadata", "uid"), v2.At("metadata", "uid"));
        Assert.Equal(v1.At("metadata", "creationTimestamp"), v2.At("metadata", "creationTimestamp"));

        var bad = v2.Json();
        bad["metadata"]!["uid"] = Guid.NewGuid().ToString();
        var e = await Assert.ThrowsAsync<ApiError>(() => Put(h, bad));
        Assert.Equal(422, e.Code);
    }

    [Fact]
    public async Task Update_SpecChange_BumpsGeneration_LabelChangeDoesNot()
    {
        await using var h = await StartAsync();
        var v1 = (await h.CreatePodAsync("web")).Object;
        var labelled = v1.Json();
        labelled["metadata"]!["labels"] = new JsonObject { ["a"] = "b" };
        var v2 = (await Put(h, labelled)).Object;
        Assert.Equal("1", v2.At("metadata", "generation"));
        var respec = v2.Json();
        respec["spec"]!["containers"]![0]!["image"] = "nginx:2";
        var v3 = (await Put(h, respec)).Object;
        Assert.Equal("2", v3.At("metadata", "generation"));
    }

    [Fact]
    public async Task Update_MainResource_IgnoresStatus_StatusSubresource_IgnoresSpec()
    {
        await using var h = await StartAsync();
        var v1 = (await h.CreatePodAsync("web")).Object;
        var withStatus = v1.Json();
        withStatus["status"] = new JsonObject { ["phase"] = "Running" };
        var v2 = (await Put(h, withStatus)).Object;
        Assert.Null(v2.At("status", "phase"));

        var statusWrite = v2.Json();
        statusWrite["status"] = new JsonObject { ["phase"] = "Running" };
        statusWrite["spec"]!["nodeName"] = "sneaky";
        statusWrite["metadata"]!["labels"] = new JsonObject { ["x"] = "y" };
        var v3 = (await Put(h, statusWrite, "status")).Object;
        Assert.Equal("Running", v3.At("status", "phase"));
        Assert.Null(v3.At("spec", "nodeName"));
        Assert.Null(v3.At("metadata", "labels"));
    }

    [Fact]
    public async Task Update_DryRun_DoesNotStore()
    {
        await using var h = await StartAsync();
        var v1 = (await h.CreateConfigMapAsync("cfg")).Object;
        var body = v1.Json();
        body["data"] = new JsonObject { ["k"] = "v" };
        var dry = await h.Registry.UpdateAsync(h.Rc, TestKinds.ConfigMaps, "default", "cfg", null, body, new WriteOptions { DryRun = true }, Ct);
        Assert.Equal("v", dry.Object.At("data", "k"));
        var got = await h.Registry.GetAsync(h.Rc, TestKinds.ConfigMaps, "default", "cfg", new GetOptions(), Ct);
        Assert.Null(got.At("data", "k"));
    }

    [Fact]
    public async Task Delete_ReturnsLastObjectAndRemovesIt()
    {
        await using var h = await StartAsync();
        await h.CreateConfigMapAsync("cfg", data: """{"a":"1"}""");
        var result = await h.Registry.DeleteAsync(h.Rc, TestKinds.ConfigMaps, "default", "cfg", new DeleteOptions(), Ct);
        Assert.True(result.Removed);
        Assert.Equal("1", result.Object.At("data", "a"));
        var e = await Assert.ThrowsAsync<ApiError>(() => h.Registry.GetAsync(h.Rc, TestKinds.ConfigMaps, "default", "cfg", new GetOptions(), Ct));
        Assert.Equal(404, e.Code);
        var again = await Assert.ThrowsAsync<ApiError>(() => h.Registry.DeleteAsync(h.Rc, TestKinds.ConfigMaps, "default", "cfg", new DeleteOptions(), Ct));
        Assert.Equal(404, again.Code);
    }

    [Fact]
    public async Task Delete_WithStalePreconditions_Returns409()
    {
        await using var h = await StartAsync();
        var v1 = (await h.CreateConfigMapAsync("cfg")).Object;
        var uid = await Assert.ThrowsAsync<ApiError>(() => h.Registry.DeleteAsync(h.Rc, TestKinds.ConfigMaps, "default", "cfg",
            new DeleteOptions { PreconditionUid = "not-the-uid" }, Ct));
        Assert.Equal(409, uid.Code);
        Assert.Contains("Precondition failed: UID in precondition", uid.Message);
        var rv = await Assert.ThrowsAsync<ApiError>(() => h.Registry.DeleteAsync(h.Rc, TestKinds.ConfigMaps, "default", "cfg",
            new DeleteOptions { PreconditionResourceVersion = "1" }, Ct));
        Assert.Equal(409, rv.Code);
        var ok = await h.Registry.DeleteAsync(h.Rc, TestKinds.ConfigMaps, "default", "cfg",
            new DeleteOptions { PreconditionUid = v1.At("metadata", "uid"), PreconditionResourceVersion = v1.Revision.ToString() }, Ct);
        Assert.True(ok.Removed);
    }

    [Fact]
    public async Task Delete_WithFinalizers_SetsDeletionTimestamp_AndRemovingLastFinalizerDeletes()
    {
        await using var h = await StartAsync();
        var obj = Obj("""{"metadata":{"name":"held","finalizers":["example.com/hold"]}}""");
        await h.Registry.CreateAsync(h.Rc, TestKinds.ConfigMaps, "default", obj, new WriteOptions(), Ct);
        var deleting = await h.Registry.DeleteAsync(h.Rc, TestKinds.ConfigMaps, "default", "held", new DeleteOptions(), Ct);
        Assert.False(deleting.Removed);
        Assert.NotNull(deleting.Object.At("metadata", "deletionTimestamp"));
        Assert.Equal("0", deleting.Object.At("metadata", "deletionGracePeriodSeconds"));

        var still = await h.Registry.GetAsync(h.Rc, TestKinds.ConfigMaps, "default", "held", new GetOptions(), Ct);
        var released = still.Json();
        released["metadata"]!["finalizers"] = new JsonArray();
        await h.Registry.UpdateAsync(h.Rc, TestKinds.ConfigMaps, "default", "held", null, released, new WriteOptions(), Ct);
        var e = await Assert.ThrowsAsync<ApiError>(() => h.Registry.GetAsync(h.Rc, TestKinds.ConfigMaps, "default", "held", new GetOptions(), Ct));
        Assert.Equal(404, e.Code);
    }

    [Fact]
    public async Task Delete_DryRun_KeepsObject()
    {
        await using var h = await StartAsync();
        await h.CreateConfigMapAsync("cfg");
        var result = await h.Registry.DeleteAsync(h.Rc, TestKinds.ConfigMaps, "default", "cfg", new DeleteOptions { DryRun = true }, Ct);
        Assert.True(result.Removed);
        await h.Registry.GetAsync(h.Rc, TestKinds.ConfigMaps, "default", "cfg", new GetOptions(), Ct);
    }

    [Fact]
    public async Task DeleteCollection_DeletesOnlyMatchingObjects()
    {
        await using var h = await StartAsync();
        await h.CreateConfigMapAsync("a", labels: """{"app":"x"}""");
        await h.CreateConfigMapAsync("b", labels: """{"app":"x"}""");
        await h.CreateConfigMapAsync("c", labels: """{"app":"y"}""");
        var deleted = await h.Registry.DeleteCollectionAsync(h.Rc, TestKinds.ConfigMaps, "default",
            new ListOptions { LabelSelector = "app=x" }, new DeleteOptions(), Ct);
        Assert.Equal(["a", "b"], deleted.Items.Select(i => i.Name));
        var left = await h.Registry.ListAsync(h.Rc, TestKinds.ConfigMaps, "default", new ListOptions(), Ct);
        Assert.Equal(["c"], left.Items.Select(i => i.Name));
    }
}
