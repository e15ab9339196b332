using K8sHost.Registry.Cache;
using K8sHost.Storage.Tests.Conformance;
using Microsoft.Extensions.Logging.Abstractions;

namespace K8sHost.Storage.Tests.ThroughCache;

/// <summary>
/// The shared storage conformance suite with every call going through a <see cref="CacheBackedStore"/>: writes to the
/// backend, reads and watches from a started <see cref="WatchCache"/> that follows it (kube-apiserver runs its
/// storage tests against the Cacher the same way). Subclasses open the backend exactly as the plain suites do.
/// </summary>
public abstract class ThroughCacheConformanceTests : StoreConformanceTests
{
    /// <summary>Test-sized cache: bookmarks every second so idle watches see Progress within the suite's deadline.</summary>
    public static WatchCacheOptions CacheOptions() => new()
    {
        BookmarkInterval = TimeSpan.FromSeconds(1),
        WaitTimeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>Opens the backend (the same way its plain conformance class does).</summary>
    protected abstract Task<IResourceStore> OpenBackendAsync();

    /// <summary>Restarts the backend (same data) after the cached store, its cache and its client were disposed.</summary>
    protected abstract Task<IResourceStore> RestartBackendAsync();

    protected override async Task<IResourceStore> CreateStoreAsync() => await OverCacheAsync(await OpenBackendAsync());

    /// <summary>A restart of the whole stack: the old cache and client go away, a new cache lists the reopened backend.</summary>
    protected override Task<IResourceStore>? ReopenStoreAsync(IResourceStore current) => ReopenAsync(current);

    public static async Task<CacheBackedStore> StartCacheAsync(IResourceStore backend, WatchCacheOptions? options = null)
    {
        var cache = new WatchCache(backend, TestCatalog.ConfigMapsOnly(), options ?? CacheOptions(), NullLogger<WatchCache>.Instance);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await cache.StartAsync(deadline.Token);
        return await CacheBackedStore.CreateAsync(backend, cache, ct: deadline.Token);
    }

    private static async Task<IResourceStore> OverCacheAsync(IResourceStore backend) => new SuiteKeyLayout(await StartCacheAsync(backend));

    private async Task<IResourceStore> ReopenAsync(IResourceStore current)
    {
        await current.DisposeAsync();
        return await OverCacheAsync(await RestartBackendAsync());
    }
}
