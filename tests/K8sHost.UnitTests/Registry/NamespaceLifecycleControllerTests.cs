using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;
using K8sHost.Registry.Contracts;
using K8sHost.Registry.Controllers;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;
using static K8sHost.UnitTests.Registry.RegistryHarness;

namespace K8sHost.UnitTests.Registry;

public sealed class NamespaceLifecycleControllerTests
{
    private static async Task<bool> Eventually(Func<Task<bool>> condition, int timeoutMs = 10_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition()) return true;
            await Task.Delay(50);
        }
        return false;
    }

    private static async Task<bool> Gone(RegistryHarness h, Func<Task> get)
    {
        try { await get(); return false; }
        catch (ApiError e) when (e.Code == 404) { return true; }
    }

    [Fact]
    public async Task TerminatingNamespace_ContentsDeletedThenNamespaceRemoved_FinalizedObjectsHoldIt()
    {
        await using var h = await StartAsync();
        var controller = new NamespaceLifecycleController(h.Cache, h.Registry, h.Store, TestKinds.Catalog(),
            NullLogger<NamespaceLifecycleController>.Instance)
        { ResyncInterval = TimeSpan.FromMilliseconds(200) };
        await controller.StartAsync(Ct);
        try
        {
            await h.CreateNamespaceAsync("team");
            await h.CreateConfigMapAsync("a", ns: "team");
            await h.CreatePodAsync("p", ns: "team");
            await h.Registry.CreateAsync(h.Rc, TestKinds.ConfigMaps, "team",
                Obj("""{"metadata":{"name":"held","finalizers":["example.com/x"]}}"""), new WriteOptions(), Ct);
            await h.CreateConfigMapAsync("elsewhere");

            var begun = await h.Registry.DeleteAsync(h.Rc, TestKinds.Namespaces, null, "team", new DeleteOptions(), Ct);
            Assert.False(begun.Removed);
            Assert.Equal("Terminating", begun.Object.At("status", "phase"));

            Assert.True(await Eventually(() => Gone(h, () => h.Registry.GetAsync(h.Rc, TestKinds.Pods, "team", "p", new GetOptions(), Ct))));
            Assert.True(await Eventually(() => Gone(h, () => h.Registry.GetAsync(h.Rc, TestKinds.ConfigMaps, "team", "a", new GetOptions(), Ct))));
            var held = await h.Registry.GetAsync(h.Rc, TestKinds.ConfigMaps, "team", "held", new GetOptions(), Ct);
            Assert.NotNull(held.At("metadata", "deletionTimestamp"));
            await Task.Delay(500);
            await h.Registry.GetAsync(h.Rc, TestKinds.Namespaces, null, "team", new GetOptions(), Ct); // still there

            var release = held.Json();
            release["metadata"]!["finalizers"] = new JsonArray();
            await h.Registry.UpdateAsync(h.Rc, TestKinds.ConfigMaps, "team", "held", null, release, new WriteOptions(), Ct);
            Assert.True(await Eventually(() => Gone(h, () => h.Registry.GetAsync(h.Rc, TestKinds.Namespaces, null, "team", new GetOptions(), Ct))));
            await h.Registry.GetAsync(h.Rc, TestKinds.ConfigMaps, "default", "elsewhere", new GetOptions(), Ct);
        }
        finally { await controller.StopAsync(CancellationToken.None); }
    }
}
