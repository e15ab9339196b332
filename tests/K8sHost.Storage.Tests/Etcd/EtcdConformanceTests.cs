using K8sHost.Storage.Tests.Conformance;
using Xunit;

namespace K8sHost.Storage.Tests.Etcd;

/// <summary>The shared storage conformance suite on a real single-member etcd (its own process for this class).</summary>
public sealed class EtcdConformanceTests(EtcdFixture fixture) : StoreConformanceTests, IClassFixture<EtcdFixture>
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(2);

    protected override TimeSpan OutageDetectionTimeout => CallTimeout + TimeSpan.FromSeconds(2);

    protected override Task<IResourceStore> CreateStoreAsync() => Task.FromResult<IResourceStore>(fixture.CreateStore(CallTimeout));

    /// <summary>A real restart: etcd is killed and started again on the same data dir, and a new client connects.</summary>
    protected override Task<IResourceStore>? ReopenStoreAsync(IResourceStore current) => RestartAsync(current);

    protected override Task? SimulateOutageAsync()
    {
        fixture.Etcd.Kill();
        return Task.CompletedTask;
    }

    protected override Task? EndOutageAsync() => StartAgainAsync();

    private async Task<IResourceStore> RestartAsync(IResourceStore current)
    {
        await current.DisposeAsync();
        fixture.Etcd.Kill();
        await StartAgainAsync();
        return fixture.CreateStore(CallTimeout);
    }

    private async Task StartAgainAsync()
    {
        fixture.Etcd.Start();
        await fixture.Etcd.WaitHealthyAsync(TimeSpan.FromSeconds(20));
    }
}
