using K8sHost.Storage.Tests.Etcd;
using Xunit;

namespace K8sHost.Storage.Tests.ThroughCache;

/// <summary>
/// The conformance suite through the watch cache over a real single-member etcd (its own process for this class, as
/// <see cref="EtcdConformanceTests"/>). The outage test kills etcd: reads through the cache must fail with
/// StoreUnavailable (they check the store's revision first) and recover once the cache's feed resumes.
/// </summary>
public sealed class EtcdThroughCacheConformanceTests(EtcdFixture fixture) : ThroughCacheConformanceTests, IClassFixture<EtcdFixture>
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(2);

    protected override TimeSpan OutageDetectionTimeout => CallTimeout + TimeSpan.FromSeconds(2);

    protected override Task<IResourceStore> OpenBackendAsync() => Task.FromResult<IResourceStore>(fixture.CreateStore(CallTimeout));

    protected override async Task<IResourceStore> RestartBackendAsync()
    {
        fixture.Etcd.Kill();
        await StartAgainAsync();
        return fixture.CreateStore(CallTimeout);
    }

    protected override Task? SimulateOutageAsync()
    {
        fixture.Etcd.Kill();
        return Task.CompletedTask;
    }

    protected override Task? EndOutageAsync() => StartAgainAsync();

    private async Task StartAgainAsync()
    {
        fixture.Etcd.Start();
        await fixture.Etcd.WaitHealthyAsync(TimeSpan.FromSeconds(20));
    }
}
