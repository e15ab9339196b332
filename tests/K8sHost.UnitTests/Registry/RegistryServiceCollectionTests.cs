using K8sHost.Registry;
using K8sHost.Registry.Catalog;
using K8sHost.Registry.Contracts;
using K8sHost.Storage;
using K8sHost.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;
using static K8sHost.UnitTests.Registry.RegistryHarness;

namespace K8sHost.UnitTests.Registry;

public sealed class RegistryServiceCollectionTests
{
    [Fact]
    public async Task AddK8sRegistry_WiresCacheRegistryAndController()
    {
        var dir = Path.Combine(Path.GetTempPath(), "k8shost-di-" + Guid.NewGuid().ToString("N"));
        await using var store = await SqliteStore.OpenAsync(new SqliteStoreSettings { Path = Path.Combine(dir, "state.db"), RunBackgroundCompactor = false });
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IResourceStore>(store);
        services.AddSingleton(TestKinds.Catalog());
        services.AddK8sRegistry(o => o.BookmarkInterval = TimeSpan.FromSeconds(1));
        await using var sp = services.BuildServiceProvider();
        var hosted = sp.GetServices<IHostedService>().ToList();
        Assert.Equal(2, hosted.Count);
        foreach (var s in hosted) await s.StartAsync(Ct);
        try
        {
            var registry = sp.GetRequiredService<IResourceRegistry>();
            await registry.CreateAsync(RequestContext.System, TestKinds.Namespaces, null, Obj("""{"metadata":{"name":"default"}}"""), new WriteOptions(), Ct);
            var cm = await registry.CreateAsync(RequestContext.System, TestKinds.ConfigMaps, "default", Obj("""{"metadata":{"name":"a"}}"""), new WriteOptions(), Ct);
            var got = await registry.GetAsync(RequestContext.System, TestKinds.ConfigMaps, "default", "a", new GetOptions(), Ct);
            Assert.Equal(cm.Object.Revision, got.Revision);
        }
        finally
        {
            foreach (var s in hosted) await s.StopAsync(CancellationToken.None);
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
    }
}
