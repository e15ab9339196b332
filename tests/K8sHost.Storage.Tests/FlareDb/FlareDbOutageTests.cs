using System.Diagnostics;
using Xunit;
using static K8sHost.Storage.Tests.FlareDb.FlareDbTestCluster;

namespace K8sHost.Storage.Tests.FlareDb;

/// <summary>Resilience: timeouts, the circuit breaker failing fast while the cluster is down, and recovery.</summary>
public sealed class FlareDbOutageTests : IAsyncLifetime
{
    private const string Key = "k8s/org/proj/pods/default/p";
    private FlareDbTestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task HangingCluster_FirstCallTimesOut_ThenCallsFailFast_ThenRecoversByItself()
    {
        var store = await _cluster.OpenAsync();
        await store.CreateAsync(Key, B("v"));

        _cluster.State.Faults.Delay = TimeSpan.FromSeconds(30);
        var first = Stopwatch.StartNew();
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.GetAsync(Key));
        first.Stop();

        // The breaker opens once failures dominate its sampling window (the earlier successes still count),
        // after which calls are refused without touching the network.
        StoreUnavailableException? failFast = null;
        var fast = TimeSpan.MaxValue;
        for (var call = 0; call < 5 && failFast is null; call++)
        {
            var clock = Stopwatch.StartNew();
            var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.GetAsync(Key));
            if (clock.Elapsed < TimeSpan.FromMilliseconds(300))
            {
                (failFast, fast) = (error, clock.Elapsed);
            }
        }

        // Each attempt is cut at CallTimeout (1 s).
        Assert.InRange(first.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(6));
        Assert.NotNull(failFast);
        Assert.Contains("circuit", failFast.Message, StringComparison.OrdinalIgnoreCase);

        _cluster.State.Faults.Reset();
        Assert.Equal("v", S((await EventuallyAsync(() => store.GetAsync(Key))).Value!.Value));
    }

    [Fact]
    public async Task StoppedServer_CallsFailWithStoreUnavailable_AndWorkAgainAfterRestart()
    {
        var store = await _cluster.OpenAsync();
        await store.CreateAsync(Key, B("v"));

        await _cluster.Server.StopAsync();
        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.GetAsync(Key));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.CreateAsync(Key + "2", B("x")));
        clock.Stop();
        await _cluster.Server.StartAsync();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"refused connections should fail quickly, took {clock.Elapsed}");
        Assert.Equal("v", S((await EventuallyAsync(() => store.GetAsync(Key))).Value!.Value));
        Assert.True((await EventuallyAsync(() => store.CreateAsync(Key + "3", B("y")))).IsOk);
    }

    [Fact]
    public async Task UnavailableStore_ForAWatch_EndsItWithStoreUnavailable()
    {
        var store = await _cluster.OpenAsync();
        var start = await store.GetCurrentRevisionAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        _cluster.State.Faults.Unavailable = true;
        await Assert.ThrowsAsync<StoreUnavailableException>(async () =>
        {
            await foreach (var _ in store.WatchAsync("k8s/", start, timeout.Token))
            {
            }
        });
    }

    /// <summary>Retries until the store answers again; bounded.</summary>
    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> call)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            try
            {
                return await call();
            }
            catch (StoreUnavailableException) when (!deadline.IsCancellationRequested)
            {
                await Task.Delay(100, deadline.Token);
            }
        }
    }
}
