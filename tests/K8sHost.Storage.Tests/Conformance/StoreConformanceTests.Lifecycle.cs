using Xunit;

namespace K8sHost.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task Reopen_ContinuesTheRevisionSequence_AndKeepsData()
    {
        var created = await MustCreateAsync(K("a"), "durable");
        var deleted = await MustDeleteAsync(K("a"));
        await MustCreateAsync(K("b"), "kept");
        var before = await Store.GetCurrentRevisionAsync();

        var reopening = ReopenStoreAsync(Store);
        if (reopening is null)
        {
            return; // This backend cannot be restarted from a test; its own tests cover restarts.
        }

        Store = await reopening;

        Assert.Equal(before, await Store.GetCurrentRevisionAsync());
        Assert.Equal("kept", S((await Store.GetAsync(K("b"))).Value!.Value));
        Assert.Equal(StoreStatus.NotFound, (await Store.GetAsync(K("a"))).Status);
        var next = await MustCreateAsync(K("c"), "after restart");
        Assert.True(next > before && before > deleted && deleted > created);
    }

    [Fact]
    public async Task Outage_MakesCallsFailWithStoreUnavailable_WithinTheCallTimeout_ThenRecovers()
    {
        await MustCreateAsync(K("a"), "before");
        var outage = SimulateOutageAsync();
        if (outage is null)
        {
            return; // This backend cannot be made unreachable from a test.
        }

        await outage;
        var failing = Store.GetAsync(K("a"));
        var finished = await Task.WhenAny(failing, Task.Delay(OutageDetectionTimeout));
        Assert.Same(failing, finished);
        await Assert.ThrowsAsync<StoreUnavailableException>(() => failing);

        if (EndOutageAsync() is { } recovery)
        {
            await recovery;
            using var deadline = new CancellationTokenSource(OutageDetectionTimeout * 2);
            while (true)
            {
                try
                {
                    Assert.Equal("before", S((await Store.GetAsync(K("a"), deadline.Token)).Value!.Value));
                    break;
                }
                catch (StoreUnavailableException) when (!deadline.IsCancellationRequested)
                {
                    await Task.Delay(200, deadline.Token);
                }
            }
        }
    }
}
