using K8sHost.Registry.Catalog;
using K8sHost.Registry.Contracts;
using K8sHost.Registry.Generic;
using K8sHost.Resources;
using K8sHost.Resources.Services;
using K8sHost.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;
using static K8sHost.UnitTests.Registry.RegistryHarness;

namespace K8sHost.UnitTests.Registry;

/// <summary>The registry and the real service strategy together: allocations follow the object through updates.</summary>
public sealed class RegistryServiceAllocationTests
{
    [Fact]
    public async Task Update_ThatDropsANodePort_ReleasesIt_SoAnotherServiceCanClaimIt()
    {
        await using var h = await StartAsync();
        var catalog = new ResourceCatalog(BuiltInKinds.All());
        var services = new ServiceCollection()
            .AddSingleton<IResourceStore>(h.Store)
            .AddSingleton(new ServiceNetworkOptions { ServiceNodePortRange = "30000-30000" })
            .BuildServiceProvider();
        var registry = new GenericRegistry(h.Store, h.Cache, catalog, NullLogger<GenericRegistry>.Instance, services);
        var svc = catalog.Find("", "v1", "services")!;
        const string nodePort = """{"metadata":{"name":"NAME"},"spec":{"type":"NodePort","ports":[{"port":80}]}}""";

        var first = await registry.CreateAsync(h.Rc, svc, "default", Obj(nodePort.Replace("NAME", "a")), new WriteOptions(), Ct);
        Assert.Equal("30000", first.Object.At("spec", "ports", "0", "nodePort"));

        // The only port in the range is taken: a second NodePort service cannot be created.
        await Assert.ThrowsAnyAsync<Exception>(() =>
            registry.CreateAsync(h.Rc, svc, "default", Obj(nodePort.Replace("NAME", "b")), new WriteOptions(), Ct));

        await registry.PatchAsync(h.Rc, svc, "default", "a", null,
            Patch(PatchType.Merge, """{"spec":{"type":"ClusterIP","ports":[{"port":80}]}}"""), new WriteOptions(), Ct);

        var second = await registry.CreateAsync(h.Rc, svc, "default", Obj(nodePort.Replace("NAME", "b")), new WriteOptions(), Ct);
        Assert.Equal("30000", second.Object.At("spec", "ports", "0", "nodePort"));
    }
}
