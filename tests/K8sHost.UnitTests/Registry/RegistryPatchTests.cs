using K8sHost.ApiMachinery;
using K8sHost.ApiMachinery.Errors;
using K8sHost.Registry.Contracts;
using Xunit;
using static K8sHost.UnitTests.Registry.RegistryHarness;

namespace K8sHost.UnitTests.Registry;

public sealed class RegistryPatchTests
{
    private static Task<WriteResult> PatchPod(RegistryHarness h, PatchType type, string body, WriteOptions? options = null, string? sub = null) =>
        h.Registry.PatchAsync(h.Rc, TestKinds.Pods, "default", "web", sub, Patch(type, body), options ?? new WriteOptions(), Ct);

    [Fact]
    public async Task Patch_MergeJsonAndStrategic_ApplyToCurrentObject()
    {
        await using var h = await StartAsync();
        await h.CreatePodAsync("web");
        var merged = await PatchPod(h, PatchType.Merge, """{"metadata":{"labels":{"a":"1"}}}""");
        Assert.Equal("1", merged.Object.At("metadata", "labels", "a"));
        var json = await PatchPod(h, PatchType.Json, """[{"op":"add","path":"/metadata/labels/b","value":"2"}]""");
        Assert.Equal("2", json.Object.At("metadata", "labels", "b"));
        var smp = await PatchPod(h, PatchType.StrategicMerge, """{"spec":{"containers":[{"name":"c","image":"nginx:2"}]}}""");
        Assert.Equal("nginx:2", smp.Object.At("spec", "containers", "0", "image"));
        Assert.Equal("2", smp.Object.At("metadata", "generation"));
        Assert.True(smp.Object.Revision > json.Object.Revision);
    }

    [Fact]
    public async Task Patch_WithStaleResourceVersion_Returns409()
    {
        await using var h = await StartAsync();
        var created = await h.CreatePodAsync("web");
        await PatchPod(h, PatchType.Merge, """{"metadata":{"labels":{"a":"1"}}}""");
        var e = await Assert.ThrowsAsync<ApiError>(() =>
            PatchPod(h, PatchType.Merge, "{\"metadata\":{\"resourceVersion\":\"" + created.Object.Revision + "\",\"labels\":{\"a\":\"2\"}}}"));
        Assert.Equal(409, e.Code);
    }

    [Fact]
    public async Task Patch_Missing_Returns404()
    {
        await using var h = await StartAsync();
        var e = await Assert.ThrowsAsync<ApiError>(() => PatchPod(h, PatchType.Merge, """{"metadata":{"labels":{"a":"1"}}}"""));
        Assert.Equal(404, e.Code);
    }

    [Fact]
    public async Task Patch_UnknownFieldStrict_Returns400_WarnDropsIt()
    {
        await using var h = await StartAsync();
        await h.CreatePodAsync("web");
        var e = await Assert.ThrowsAsync<ApiError>(() =>
            PatchPod(h, PatchType.Merge, """{"spec":{"bogus":true}}""", new WriteOptions { FieldValidation = FieldValidation.Strict }));
        Assert.Equal(400, e.Code);
        var warned = await PatchPod(h, PatchType.Merge, """{"spec":{"bogus":true},"metadata":{"labels":{"x":"y"}}}""");
        Assert.Contains(warned.Warnings, w => w.Contains("bogus"));
        Assert.Null(warned.Object.At("spec", "bogus"));
    }

    [Fact]
    public async Task Patch_DryRun_DoesNotStore()
    {
        await using var h = await StartAsync();
        await h.CreatePodAsync("web");
        var dry = await PatchPod(h, PatchType.Merge, """{"metadata":{"labels":{"a":"1"}}}""", new WriteOptions { DryRun = true });
        Assert.Equal("1", dry.Object.At("metadata", "labels", "a"));
        var got = await h.Registry.GetAsync(h.Rc, TestKinds.Pods, "default", "web", new GetOptions(), Ct);
        Assert.Null(got.At("metadata", "labels"));
    }

    [Fact]
    public async Task Patch_Status_ChangesOnlyStatus()
    {
        await using var h = await StartAsync();
        await h.CreatePodAsync("web");
        var r = await PatchPod(h, PatchType.Merge, """{"status":{"phase":"Running"},"spec":{"nodeName":"x"}}""", sub: "status");
        Assert.Equal("Running", r.Object.At("status", "phase"));
        Assert.Null(r.Object.At("spec", "nodeName"));
    }

    [Fact]
    public async Task Patch_MalformedDocument_Returns400()
    {
        await using var h = await StartAsync();
        await h.CreatePodAsync("web");
        var e = await Assert.ThrowsAsync<ApiError>(() => PatchPod(h, PatchType.Json, """{"op":"add"}"""));
        Assert.Equal(400, e.Code);
        var e2 = await Assert.ThrowsAsync<ApiError>(() => PatchPod(h, PatchType.Merge, "{not json"));
        Assert.Equal(400, e2.Code);
    }
}
