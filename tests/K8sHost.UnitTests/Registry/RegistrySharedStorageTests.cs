using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;
using K8sHost.Registry.Catalog;
using K8sHost.Registry.Contracts;
using K8sHost.Resources.Events;
using Xunit;
using static K8sHost.UnitTests.Registry.RegistryHarness;

namespace K8sHost.UnitTests.Registry;

/// <summary>
/// One resource served in two versions (core/v1 and events.k8s.io/v1 Event, the latter sharing the former's storage
/// through ResourceDescriptor.SharesStorageWith and converting through IVersionConverter), over a real SQLite store.
/// </summary>
public sealed class RegistrySharedStorageTests
{
    private static readonly ResourceDescriptor Core = EventKinds.Core;
    private static readonly ResourceDescriptor V1 = EventKinds.EventsV1;

    private static Task<RegistryHarness> StartEventsAsync() =>
        StartAsync(catalog: new ResourceCatalog([TestKinds.Namespaces, Core, V1]));

    private static JsonObject V1Event(string name, string note = "Successfully assigned default/web") => Obj($$$"""
        {"apiVersion":"events.k8s.io/v1","kind":"Event","metadata":{"name":"{{{name}}}"},
         "eventTime":"2026-01-02T03:04:05.000000Z","reportingController":"e2e.io/scheduler","reportingInstance":"sched-1",
         "action":"Binding","reason":"Scheduled","note":"{{{note}}}","type":"Normal",
         "regarding":{"apiVersion":"v1","kind":"Pod","name":"web","namespace":"default","uid":"u-1"}}
        """);

    // A core event that also carries every field the events.k8s.io/v1 validation requires, so it can be updated there.
    private static JsonObject CoreEvent(string name, string involved = "web") => Obj($$$"""
        {"apiVersion":"v1","kind":"Event","metadata":{"name":"{{{name}}}","labels":{"app":"web"}},
         "involvedObject":{"kind":"Pod","name":"{{{involved}}}","namespace":"default","fieldPath":"spec.containers{c}"},
         "message":"Pulled image","reason":"Pulled","type":"Normal","source":{"component":"kubelet","host":"node-1"},
         "count":3,"firstTimestamp":"2026-01-02T03:04:05Z","lastTimestamp":"2026-01-02T03:09:05Z",
         "eventTime":"2026-01-02T03:04:05.000000Z","action":"Pulling","reportingComponent":"kubelet","reportingInstance":"node-1"}
        """);

    private static Task<WriteResult> Create(RegistryHarness h, ResourceDescriptor d, JsonObject obj) =>
        h.Registry.CreateAsync(h.Rc, d, "default", obj, new WriteOptions(), Ct);

    private static Task<ObjectVersion> Get(RegistryHarness h, ResourceDescriptor d, string name) =>
        h.Registry.GetAsync(h.Rc, d, "default", name, new GetOptions(), Ct);

    [Fact]
    public async Task Create_ThroughEventsV1_IsReadAndListedThroughCoreV1WithCoreFieldNames()
    {
        await using var h = await StartEventsAsync();
        var created = await Create(h, V1, V1Event("web.1"));
        Assert.Equal("events.k8s.io/v1", created.Object.At("apiVersion"));
        Assert.Equal("Successfully assigned default/web", created.Object.At("note"));

        var core = await Get(h, Core, "web.1");
        Assert.Equal("v1", core.At("apiVersion"));
        Assert.Equal("Event", core.At("kind"));
        Assert.Equal("Successfully assigned default/web", core.At("message"));
        Assert.Equal("web", core.At("involvedObject", "name"));
        Assert.Equal("e2e.io/scheduler", core.At("reportingComponent"));
        Assert.Equal("sched-1", core.At("reportingInstance"));
        Assert.Equal("Binding", core.At("action"));
        Assert.Null(core.At("note"));
        Assert.Null(core.At("regarding"));
        Assert.Equal(created.Object.Revision, core.Revision);
        Assert.Equal(created.Object.At("metadata", "uid"), core.At("metadata", "uid"));

        var coreList = await h.Registry.ListAsync(h.Rc, Core, "default", new ListOptions(), Ct);
        Assert.Equal(["web.1"], coreList.Items.Select(i => i.Name));
        Assert.Equal("Successfully assigned default/web", coreList.Items[0].At("message"));
        var v1List = await h.Registry.ListAsync(h.Rc, V1, "default", new ListOptions(), Ct);
        Assert.Equal("Successfully assigned default/web", Assert.Single(v1List.Items).At("note"));
        Assert.Equal("events.k8s.io/v1", v1List.Items[0].At("apiVersion"));
    }

    [Fact]
    public async Task Create_ThroughCoreV1_IsServedThroughEventsV1WithRenamedFields()
    {
        await using var h = await StartEventsAsync();
        await Create(h, Core, CoreEvent("web.2"));
        var v1 = await Get(h, V1, "web.2");
        Assert.Equal("events.k8s.io/v1", v1.At("apiVersion"));
        Assert.Equal("Pulled image", v1.At("note"));
        Assert.Equal("web", v1.At("regarding", "name"));
        Assert.Equal("spec.containers{c}", v1.At("regarding", "fieldPath"));
        Assert.Equal("kubelet", v1.At("reportingController"));
        Assert.Equal("node-1", v1.At("reportingInstance"));
        Assert.Equal("node-1", v1.At("deprecatedSource", "host"));
        Assert.Equal("3", v1.At("deprecatedCount"));
        Assert.Equal("2026-01-02T03:04:05Z", v1.At("deprecatedFirstTimestamp"));
        Assert.Equal("2026-01-02T03:09:05Z", v1.At("deprecatedLastTimestamp"));
        Assert.Null(v1.At("message"));
        Assert.Null(v1.At("involvedObject"));
        Assert.Null(v1.At("count"));
        // The served bytes of one stored version are built once per version and reused.
        Assert.Same(v1, await Get(h, V1, "web.2"));
    }

    [Fact]
    public async Task Create_ThroughOneVersion_ConflictsWithTheSameNameInTheOther()
    {
        await using var h = await StartEventsAsync();
        await Create(h, Core, CoreEvent("dup"));
        var e = await Assert.ThrowsAsync<ApiError>(() => Create(h, V1, V1Event("dup")));
        Assert.Equal(409, e.Code);
    }

    [Fact]
    public async Task Update_ThroughEventsV1_KeepsFieldsWrittenThroughCoreV1()
    {
        await using var h = await StartEventsAsync();
        await Create(h, Core, CoreEvent("web.3"));
        var v1 = (await Get(h, V1, "web.3")).Json();
        v1["note"] = "Pulled image again";
        v1["deprecatedCount"] = 4;
        var updated = await h.Registry.UpdateAsync(h.Rc, V1, "default", "web.3", null, v1, new WriteOptions(), Ct);
        Assert.Equal("Pulled image again", updated.Object.At("note"));

        var core = await Get(h, Core, "web.3");
        Assert.Equal("Pulled image again", core.At("message"));
        Assert.Equal("4", core.At("count"));
        Assert.Equal("kubelet", core.At("source", "component"));
        Assert.Equal("node-1", core.At("source", "host"));
        Assert.Equal("2026-01-02T03:04:05Z", core.At("firstTimestamp"));
        Assert.Equal("2026-01-02T03:09:05Z", core.At("lastTimestamp"));
        Assert.Equal("spec.containers{c}", core.At("involvedObject", "fieldPath"));
        Assert.Equal("web", core.At("metadata", "labels", "app"));
        Assert.Equal("kubelet", core.At("reportingComponent"));
        Assert.Equal(updated.Object.Revision, core.Revision);
    }

    [Fact]
    public async Task Patch_ThroughEventsV1_ChangesTheCoreFieldAndKeepsTheRest()
    {
        await using var h = await StartEventsAsync();
        await Create(h, Core, CoreEvent("web.4"));
        await h.Registry.PatchAsync(h.Rc, V1, "default", "web.4", null, Patch(PatchType.Merge, """{"note":"patched"}"""),
            new WriteOptions(), Ct);
        var core = await Get(h, Core, "web.4");
        Assert.Equal("patched", core.At("message"));
        Assert.Equal("3", core.At("count"));
        Assert.Equal("node-1", core.At("source", "host"));
    }

    [Fact]
    public async Task Update_ThroughCoreV1_KeepsFieldsWrittenThroughEventsV1()
    {
        await using var h = await StartEventsAsync();
        await Create(h, V1, V1Event("web.5"));
        var core = (await Get(h, Core, "web.5")).Json();
        core["message"] = "changed";
        await h.Registry.UpdateAsync(h.Rc, Core, "default", "web.5", null, core, new WriteOptions(), Ct);
        var v1 = await Get(h, V1, "web.5");
        Assert.Equal("changed", v1.At("note"));
        Assert.Equal("e2e.io/scheduler", v1.At("reportingController"));
        Assert.Equal("sched-1", v1.At("reportingInstance"));
        Assert.Equal("u-1", v1.At("regarding", "uid"));
        Assert.Equal("2026-01-02T03:04:05.000000Z", v1.At("eventTime"));
    }

    [Fact]
    public async Task Watch_ThroughEventsV1_SeesCoreWritesConvertedAndSelectsOnItsOwnFields()
    {
        await using var h = await StartEventsAsync();
        await using var w = await h.Registry.WatchAsync(h.Rc, V1, "default",
            new WatchOptions { FieldSelector = "regarding.name=web" }, Ct);
        await Create(h, Core, CoreEvent("other", involved: "db"));
        var created = await Create(h, Core, CoreEvent("web.6"));
        await h.Registry.DeleteAsync(h.Rc, Core, "default", "web.6", new DeleteOptions(), Ct);

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var added = await w.Events.ReadAsync(cts.Token);
        Assert.NotNull(added.Object);
        Assert.Equal((WatchEventType.Added, "web.6", created.Object.Revision), (added.Type, added.Object.Name, added.Revision));
        Assert.Equal("events.k8s.io/v1", added.Object.At("apiVersion"));
        Assert.Equal("Pulled image", added.Object.At("note"));
        var deleted = await w.Events.ReadAsync(cts.Token);
        Assert.Equal(WatchEventType.Deleted, deleted.Type);
        Assert.NotNull(deleted.Object);
        Assert.Equal("Pulled image", deleted.Object.At("note"));
        Assert.Equal(deleted.Revision.ToString(), deleted.Object.At("metadata", "resourceVersion"));
    }

    [Fact]
    public async Task Watch_ThroughCoreV1_SeesEventsV1WritesConverted()
    {
        await using var h = await StartEventsAsync();
        await using var w = await h.Registry.WatchAsync(h.Rc, Core, "default", new WatchOptions(), Ct);
        await Create(h, V1, V1Event("web.7"));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var added = await w.Events.ReadAsync(cts.Token);
        Assert.Equal(WatchEventType.Added, added.Type);
        Assert.NotNull(added.Object);
        Assert.Equal("v1", added.Object.At("apiVersion"));
        Assert.Equal("Successfully assigned default/web", added.Object.At("message"));
    }

    [Fact]
    public async Task List_ThroughEventsV1_FiltersOnItsOwnFieldNamesAndRejectsCoreOnes()
    {
        await using var h = await StartEventsAsync();
        await Create(h, Core, CoreEvent("web.8"));
        await Create(h, Core, CoreEvent("db.1", involved: "db"));
        var v1 = await h.Registry.ListAsync(h.Rc, V1, "default", new ListOptions { FieldSelector = "regarding.name=web,reportingController=kubelet" }, Ct);
        Assert.Equal(["web.8"], v1.Items.Select(i => i.Name));
        var core = await h.Registry.ListAsync(h.Rc, Core, "default", new ListOptions { FieldSelector = "involvedObject.name=db" }, Ct);
        Assert.Equal(["db.1"], core.Items.Select(i => i.Name));
        var e = await Assert.ThrowsAsync<ApiError>(() =>
            h.Registry.ListAsync(h.Rc, V1, "default", new ListOptions { FieldSelector = "involvedObject.name=web" }, Ct));
        Assert.Equal(400, e.Code);
    }

    [Fact]
    public async Task Delete_ThroughEventsV1_RemovesTheCoreEventAndReturnsTheV1Shape()
    {
        await using var h = await StartEventsAsync();
        await Create(h, Core, CoreEvent("web.9"));
        var result = await h.Registry.DeleteAsync(h.Rc, V1, "default", "web.9", new DeleteOptions(), Ct);
        Assert.True(result.Removed);
        Assert.Equal("Pulled image", result.Object.At("note"));
        var e = await Assert.ThrowsAsync<ApiError>(() => Get(h, Core, "web.9"));
        Assert.Equal(404, e.Code);
    }

    [Fact]
    public void StorageKeys_OfAVersionSharingStorage_AreTheStorageDescriptors()
    {
        Assert.Equal(StorageKeys.ObjectKey(Tenant.Default, Core, "default", "x"), StorageKeys.ObjectKey(Tenant.Default, V1, "default", "x"));
        Assert.Equal("k8s/default-org/default-project/events/default/", StorageKeys.ListPrefix(Tenant.Default, V1, "default"));
    }

    [Fact]
    public void Catalog_RejectsSharingWithAnUnregisteredDescriptorOrAnotherKind()
    {
        var missing = Assert.Throws<InvalidOperationException>(() => new ResourceCatalog([V1]));
        Assert.Contains("not registered", missing.Message);
        var otherKind = V1 with { SharesStorageWith = TestKinds.ConfigMaps };
        var wrongKind = Assert.Throws<InvalidOperationException>(() => new ResourceCatalog([TestKinds.ConfigMaps, otherKind]));
        Assert.Contains("another kind", wrongKind.Message);
        var chained = TestKinds.ConfigMaps with { Group = "x.io", SharesStorageWith = TestKinds.ConfigMaps };
        var chain = chained with { Group = "y.io", SharesStorageWith = chained };
        Assert.Throws<InvalidOperationException>(() => new ResourceCatalog([TestKinds.ConfigMaps, chained, chain]));
        var converterWithoutSharing = V1 with { SharesStorageWith = null };
        Assert.Throws<InvalidOperationException>(() => new ResourceCatalog([converterWithoutSharing]));
        Assert.Equal(2, new ResourceCatalog([Core, V1]).All.Count);
    }
}
