using System.Diagnostics;
using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;
using K8sHost.Registry.Contracts;
using Xunit;
using static K8sHost.UnitTests.Registry.RegistryHarness;

namespace K8sHost.UnitTests.Registry;

public sealed class RegistryListTests
{
    [Fact]
    public async Task List_FiltersByLabelAndFieldSelector()
    {
        await using var h = await StartAsync();
        await h.CreatePodAsync("a", labels: """{"app":"web"}""", node: "n1");
        await h.CreatePodAsync("b", labels: """{"app":"web"}""", node: "n2");
        await h.CreatePodAsync("c", labels: """{"app":"db"}""", node: "n1");
        var byLabel = await h.Registry.ListAsync(h.Rc, TestKinds.Pods, "default", new ListOptions { LabelSelector = "app=web" }, Ct);
        Assert.Equal(["a", "b"], byLabel.Items.Select(i => i.Name));
        var byField = await h.Registry.ListAsync(h.Rc, TestKinds.Pods, null, new ListOptions { FieldSelector = "spec.nodeName=n1" }, Ct);
        Assert.Equal(["a", "c"], byField.Items.Select(i => i.Name));
        var both = await h.Registry.ListAsync(h.Rc, TestKinds.Pods, null,
            new ListOptions { LabelSelector = "app in (web,db)", FieldSelector = "metadata.name!=a" }, Ct);
        Assert.Equal(["b", "c"], both.Items.Select(i => i.Name));
    }

    [Fact]
    public async Task List_UnsupportedFieldSelector_Returns400()
    {
        await using var h = await StartAsync();
        var e = await Assert.ThrowsAsync<ApiError>(() =>
            h.Registry.ListAsync(h.Rc, TestKinds.ConfigMaps, "default", new ListOptions { FieldSelector = "spec.bogus=1" }, Ct));
        Assert.Equal(400, e.Code);
        Assert.Contains("field label not supported", e.Message);
    }

    [Fact]
    public async Task List_NamespaceScopedPrefixDoesNotLeakSimilarNames()
    {
        await using var h = await StartAsync();
        await h.CreateNamespaceAsync("ns");
        await h.CreateNamespaceAsync("ns1");
        await h.CreateConfigMapAsync("a", ns: "ns");
        await h.CreateConfigMapAsync("b", ns: "ns1");
        var list = await h.Registry.ListAsync(h.Rc, TestKinds.ConfigMaps, "ns", new ListOptions(), Ct);
        Assert.Equal(["a"], list.Items.Select(i => i.Name));
        var all = await h.Registry.ListAsync(h.Rc, TestKinds.ConfigMaps, null, new ListOptions(), Ct);
        Assert.Equal(2, all.Items.Count);
    }

    [Fact]
    public async Task List_Paginates_WithRemainingItemCount()
    {
        await using var h = await StartAsync();
        for (var i = 0; i < 25; i++) await h.CreateConfigMapAsync($"cm-{i:D3}");
        var page1 = await h.Registry.ListAsync(h.Rc, TestKinds.ConfigMaps, "default", new ListOptions { Limit = 10 }, Ct);
        Assert.Equal(10, page1.Items.Count);
        Assert.Equal(15, page1.RemainingItemCount);
        Assert.NotNull(page1.Continue);
        var page2 = await h.Registry.ListAsync(h.Rc, TestKinds.ConfigMaps, "default", new ListOptions { Limit = 10, Continue = page1.Continue }, Ct);
        var page3 = await h.Registry.ListAsync(h.Rc, TestKinds.ConfigMaps, "default", new ListOptions { Limit = 10, Continue = page2.Continue }, Ct);
        Assert.Equal(5, page3.Items.Count);
        Assert.Null(page3.Continue);
        Assert.Equal(page1.Revision, page3.Revision);
        Assert.Equal(25, page1.Items.Concat(page2.Items).Concat(page3.Items).Select(i => i.Name).Distinct().Count());
    }

    [Fact]
    public async Task List_RemainingItemCount_IsLeftOutWhenCountingItWouldCostMoreThanABoundedWalk()
    {
        await using var h = await StartAsync();
        for (var i = 0; i < 1105; i++) await h.CreateConfigMapAsync($"cm-{i:D4}");
        var page1 = await h.Registry.ListAsync(h.Rc, TestKinds.ConfigMaps, "default", new ListOptions { Limit = 100 }, Ct);
        Assert.Null(page1.RemainingItemCount);
        var page2 = await h.Registry.ListAsync(h.Rc, TestKinds.ConfigMaps, "default", new ListOptions { Limit = 100, Continue = page1.Continue }, Ct);
        Assert.Equal(905, page2.RemainingItemCount);
    }

    [Fact]
    public async Task List_GarbageContinueToken_Returns400()
    {
        await using var h = await StartAsync();
        foreach (var token in new[] { "garbage!", "eyJ4IjoxfQ", Convert.ToBase64String("""{"rv":1,"start":"../../x"}"""u8.ToArray()) })
        {
            var e = await Assert.ThrowsAsync<ApiError>(() =>
                h.Registry.ListAsync(h.Rc, TestKinds.ConfigMaps, "default", new ListOptions { Continue = token }, Ct));
            Assert.Equal(400, e.Code);
        }
    }

    [Fact]
    public async Task List_ContinueOlderThanWindow_Returns410()
    {
        await using var h = await StartAsync(o => o.MaxEvents = 5);
        for (var i = 0; i < 4; i++) await h.CreateConfigMapAsync($"cm-{i}");
        var page1 = await h.Registry.ListAsync(h.Rc, TestKinds.ConfigMaps, "default", new ListOptions { Limit = 2 }, Ct);
        for (var i = 0; i < 10; i++) await h.CreateConfigMapAsync($"later-{i}");
        var e = await Assert.ThrowsAsync<ApiError>(() =>
            h.Registry.ListAsync(h.Rc, TestKinds.ConfigMaps, "default", new ListOptions { Limit = 2, Continue = page1.Continue }, Ct));
        Assert.Equal(410, e.Code);
        Assert.Equal("Expired", e.Reason);
        Assert.StartsWith("The provided continue parameter is too old", e.Message);
    }

    [Fact]
    public async Task List_ExactResourceVersion_ServesOldStateFromRing()
    {
        await using var h = await StartAsync();
        var a = await h.CreateConfigMapAsync("a", data: """{"v":"1"}""");
        var updated = a.Object.Json();
        updated["data"]!["v"] = "2";
        await h.Registry.UpdateAsync(h.Rc, TestKinds.ConfigMaps, "default", "a", null, updated, new WriteOptions(), Ct);
        await h.CreateConfigMapAsync("b");
        var old = await h.Registry.ListAsync(h.Rc, TestKinds.ConfigMaps, "default",
            new ListOptions { ResourceVersion = a.Object.Revision.ToString(), ResourceVersionMatch = "Exact" }, Ct);
        Assert.Equal(["a"], old.Items.Select(i => i.Name));
        Assert.Equal("1", old.Items[0].At("data", "v"));
        Assert.Equal(a.Object.Revision, old.Revision);
    }

    [Fact]
    public async Task List_ExactResourceVersionOutsideWindow_Returns410()
    {
        await using var h = await StartAsync(o => o.MaxEvents = 3);
        var a = await h.CreateConfigMapAsync("a");
        for (var i = 0; i < 6; i++) await h.CreateConfigMapAsync($"x{i}");
        var e = await Assert.ThrowsAsync<ApiError>(() => h.Registry.ListAsync(h.Rc, TestKinds.ConfigMaps, "default",
            new ListOptions { ResourceVersion = a.Object.Revision.ToString(), ResourceVersionMatch = "Exact" }, Ct));
        Assert.Equal(410, e.Code);
        Assert.StartsWith("too old resource version", e.Message);
    }

    [Fact]
    public async Task List_PaginationUnderConcurrentWrites_ReturnsEachObjectOfTheListRevisionExactlyOnce()
    {
        await using var h = await StartAsync();
        const int count = 1200;
        var obj = Obj("""{"kind":"ConfigMap","apiVersion":"v1","metadata":{"namespace":"default"},"data":{"v":"0"}}""");
        for (var i = 0; i < count; i += 100)
            await Task.WhenAll(Enumerable.Range(i, 100).Select(n =>
            {
                var copy = (JsonObject)obj.DeepClone();
                copy["metadata"]!["name"] = $"cm-{n:D4}";
                return h.Store.CreateAsync($"k8s/{h.Rc.Tenant.Organization}/{h.Rc.Tenant.Project}/configmaps/default/cm-{n:D4}",
                    System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(copy));
            }));
        var first = await h.Registry.ListAsync(h.Rc, TestKinds.ConfigMaps, "default", new ListOptions { Limit = 100 }, Ct);
        var atRevision = await h.Registry.ListAsync(h.Rc, TestKinds.ConfigMaps, "default",
            new ListOptions { ResourceVersion = first.Revision.ToString(), ResourceVersionMatch = "Exact" }, Ct);
        Assert.Equal(count, atRevision.Items.Count);

        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 3).Select(w => Task.Run(async () =>
        {
            var n = 0;
            while (!stop.IsCancellationRequested)
            {
                var victim = $"cm-{Random.Shared.Next(count):D4}";
                try
                {
                    if (n++ % 2 == 0) await h.Registry.DeleteAsync(h.Rc, TestKinds.ConfigMaps, "default", victim, new DeleteOptions(), Ct);
                    else await h.CreateConfigMapAsync($"new-{w}-{n:D5}");
                }
                catch (ApiError) { }
            }
        })).ToList();

        var seen = first.Items.Select(i => i.Name).ToList();
        var token = first.Continue;
        while (token is not null)
        {
            var page = await h.Registry.ListAsync(h.Rc, TestKinds.ConfigMaps, "default", new ListOptions { Limit = 100, Continue = token }, Ct);
            Assert.Equal(first.Revision, page.Revision);
            seen.AddRange(page.Items.Select(i => i.Name));
            token = page.Continue;
            await Task.Delay(5);
        }
        await stop.CancelAsync();
        await Task.WhenAll(writers);
        Assert.Equal(atRevision.Items.Select(i => i.Name), seen);
    }

    [Fact]
    public async Task List_TenThousandObjects_IsFast()
    {
        await using var h = await StartAsync(o => o.ListPageSize = 5000);
        var obj = Obj("""{"kind":"ConfigMap","apiVersion":"v1","metadata":{"namespace":"default"},"data":{"v":"0"}}""");
        for (var i = 0; i < 10_000; i += 500)
            await Task.WhenAll(Enumerable.Range(i, 500).Select(n =>
            {
                var copy = (JsonObject)obj.DeepClone();
                copy["metadata"]!["name"] = $"cm-{n:D5}";
                return h.Store.CreateAsync($"k8s/{h.Rc.Tenant.Organization}/{h.Rc.Tenant.Project}/configmaps/default/cm-{n:D5}",
                    System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(copy));
            }));
        await h.Registry.ListAsync(h.Rc, TestKinds.ConfigMaps, "default", new ListOptions(), Ct); // catch up
        // Best of three: the budget is for the list itself, not for a CI neighbour stealing the core.
        var best = long.MaxValue;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var sw = Stopwatch.StartNew();
            var list = await h.Registry.ListAsync(h.Rc, TestKinds.ConfigMaps, "default", new ListOptions(), Ct);
            sw.Stop();
            Assert.Equal(10_000, list.Items.Count);
            best = Math.Min(best, sw.ElapsedMilliseconds);
        }
        Assert.True(best < 100, $"list took {best} ms");
    }

    [Fact]
    public async Task List_EventsOlderThanTimeWindow_LeaveTheRing()
    {
        await using var h = await StartAsync(o => o.EventWindow = TimeSpan.FromMilliseconds(200));
        var a = await h.CreateConfigMapAsync("a");
        await h.CreateConfigMapAsync("b");
        await Task.Delay(400);
        await h.CreateConfigMapAsync("c");
        var e = await Assert.ThrowsAsync<ApiError>(() => h.Registry.ListAsync(h.Rc, TestKinds.ConfigMaps, "default",
            new ListOptions { ResourceVersion = a.Object.Revision.ToString(), ResourceVersionMatch = "Exact" }, Ct));
        Assert.Equal(410, e.Code);
    }

    [Fact]
    public async Task List_ResourceVersionSemantics_AnyNotOlderThanAndBadCombinations()
    {
        await using var h = await StartAsync(o => o.WaitTimeout = TimeSpan.FromMilliseconds(300));
        var a = await h.CreateConfigMapAsync("a");
        var any = await h.Registry.ListAsync(h.Rc, TestKinds.ConfigMaps, "default", new ListOptions { ResourceVersion = "0" }, Ct);
        Assert.Single(any.Items);
        var notOlder = await h.Registry.ListAsync(h.Rc, TestKinds.ConfigMaps, "default",
            new ListOptions { ResourceVersion = a.Object.Revision.ToString(), ResourceVersionMatch = "NotOlderThan" }, Ct);
        Assert.True(notOlder.Revision >= a.Object.Revision);
        var tooNew = await Assert.ThrowsAsync<ApiError>(() => h.Registry.ListAsync(h.Rc, TestKinds.ConfigMaps, "default",
            new ListOptions { ResourceVersion = "99999999", ResourceVersionMatch = "NotOlderThan" }, Ct));
        Assert.Equal(504, tooNew.Code);
        var matchWithoutRv = await Assert.ThrowsAsync<ApiError>(() => h.Registry.ListAsync(h.Rc, TestKinds.ConfigMaps, "default",
            new ListOptions { ResourceVersionMatch = "Exact" }, Ct));
        Assert.Equal(400, matchWithoutRv.Code);
        var rvWithContinue = await Assert.ThrowsAsync<ApiError>(() => h.Registry.ListAsync(h.Rc, TestKinds.ConfigMaps, "default",
            new ListOptions { ResourceVersion = "5", Continue = "abc" }, Ct));
        Assert.Equal(400, rvWithContinue.Code);
    }
}
