using K8sHost.Storage.Tests.Conformance;

namespace K8sHost.Storage.Tests.FlareDb;

/// <summary>
/// The shared storage conformance suite against the FlareDB protocol test server, with the test's key range split
/// across three regions led by two stores and scans paginated two keys at a time, so every list and watch crosses
/// region boundaries and pages.
/// </summary>
public sealed class FlareDbConformanceTests : StoreConformanceTests
{
    private FlareDbTestCluster? _cluster;

    protected override TimeSpan OutageDetectionTimeout => TimeSpan.FromSeconds(6);

    protected override async Task<IResourceStore> CreateStoreAsync()
    {
        _cluster = await FlareDbTestCluster.StartAsync(K("b"), K("d"));
        return await _cluster.OpenAsync(scanBatchSize: 2);
    }

    protected override Task<IResourceStore>? ReopenStoreAsync(IResourceStore current) => ReopenAsync(current);

    protected override Task? SimulateOutageAsync() => _cluster!.Server.StopAsync();

    protected override Task? EndOutageAsync() => _cluster!.Server.StartAsync();

    protected override async Task OnDisposedAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    private async Task<IResourceStore> ReopenAsync(IResourceStore current)
    {
        // A new client process: nothing cached, everything re-learned from PD and the stored counter.
        await current.DisposeAsync();
        return await _cluster!.OpenAsync(scanBatchSize: 2);
    }
}
