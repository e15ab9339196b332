using K8sHost.Storage.Tests.FlareDb;

namespace K8sHost.Storage.Tests.ThroughCache;

/// <summary>
/// The conformance suite through the watch cache over the FlareDB protocol test server, with the same three regions
/// and two-key scan pages as <see cref="FlareDbConformanceTests"/> (split at the mapped keys of "b" and "d", so the
/// cache's startup list and feed cross region boundaries).
/// </summary>
public sealed class FlareDbThroughCacheConformanceTests : ThroughCacheConformanceTests
{
    private FlareDbTestCluster? _cluster;

    protected override TimeSpan OutageDetectionTimeout => TimeSpan.FromSeconds(6);

    /// <summary>
    /// The suite's values reach the store as base64 inside a ConfigMap (4/3 bigger). 1.5 MiB of raw bytes is what the
    /// plain FlareDB suite stores; here that is the size of the stored ConfigMap, so the raw value is 3/4 of it.
    /// A 2 MiB record exceeds the 4 MiB gRPC message of the write's final swap, which carries the value twice (intent and record).
    /// </summary>
    protected override int LargeValueBytes => 1536 * 1024 * 3 / 4;

    protected override async Task<IResourceStore> OpenBackendAsync()
    {
        _cluster = await FlareDbTestCluster.StartAsync(SuiteKeyLayout.Map(K("b")), SuiteKeyLayout.Map(K("d")));
        return await _cluster.OpenAsync(scanBatchSize: 2);
    }

    protected override async Task<IResourceStore> RestartBackendAsync() => await _cluster!.OpenAsync(scanBatchSize: 2);

    protected override Task? SimulateOutageAsync() => _cluster!.Server.StopAsync();

    protected override Task? EndOutageAsync() => _cluster!.Server.StartAsync();

    protected override async Task OnDisposedAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
