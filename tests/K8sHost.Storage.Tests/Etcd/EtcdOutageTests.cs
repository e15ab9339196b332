using System.Diagnostics;
using K8sHost.Storage.Etcd;
using Xunit;
using static K8sHost.Storage.Tests.Etcd.EtcdTestHelpers;

namespace K8sHost.Storage.Tests.Etcd;

/// <summary>Kills and restarts its own etcd, so it has its own fixture (no other class shares this process).</summary>
public sealed class EtcdOutageTests(EtcdOutageTests.OutageFixture fixture) : IClassFixture<EtcdOutageTests.OutageFixture>
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(1);

    public sealed class OutageFixture : IAsyncLifetime
    {
        public EtcdFixture Etcd { get; } = new();

        public Task InitializeAsync() => Etcd.InitializeAsync();

        public Task DisposeAsync() => Etcd.DisposeAsync();
    }

    [Fact]
    public async Task Calls_WhileEtcdIsDown_FailFastWithStoreUnavailable_AndRecoverWhenItReturns()
    {
        await using var store = fixture.Etcd.CreateStore(CallTimeout);
        var key = UniquePrefix() + "a";
        await store.CreateAsync(key, Bytes("before"));

        fixture.Etcd.Etcd.Kill();
        try
        {
            var first = Stopwatch.StartNew();
            var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.GetAsync(key));
            Assert.True(first.Elapsed < CallTimeout + TimeSpan.FromSeconds(1), $"first failure took {first.Elapsed}");
            Assert.DoesNotContain('\n', error.Message);

            // The breaker is open now: writes fail at once, without waiting for timeouts.
            var second = Stopwatch.StartNew();
            await Assert.ThrowsAsync<StoreUnavailableException>(() => store.CreateAsync(key + "2", Bytes("x")));
            Assert.True(second.Elapsed < TimeSpan.FromMilliseconds(500), $"second failure took {second.Elapsed}");
        }
        finally
        {
            fixture.Etcd.Etcd.Start();
        }

        await fixture.Etcd.Etcd.WaitHealthyAsync(TimeSpan.FromSeconds(20));
        var recovered = await EventuallyAsync(() => store.GetAsync(key), TimeSpan.FromSeconds(10));
        Assert.Equal("before", Text(recovered.Value!.Value));
        Assert.Equal(StoreStatus.Ok, (await store.CreateAsync(key + "2", Bytes("after"))).Status);
    }

    [Fact]
    public async Task Watch_AcrossAnEtcdRestart_ResumesWithNoGapOrDuplicate()
    {
        await using var store = fixture.Etcd.CreateStore(CallTimeout);
        var prefix = UniquePrefix();
        var start = await store.GetCurrentRevisionAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        await using var feed = store.WatchAsync(prefix, start, cts.Token).GetAsyncEnumerator(cts.Token);

        var written = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            written.Add((await store.CreateAsync($"{prefix}before{i}", Bytes("x"))).Value);
        }

        var seen = await CollectAsync(feed, 3, TimeSpan.FromSeconds(10));

        fixture.Etcd.Etcd.Kill();
        fixture.Etcd.Etcd.Start();
        await fixture.Etcd.Etcd.WaitHealthyAsync(TimeSpan.FromSeconds(20));
        for (var i = 0; i < 3; i++)
        {
            var created = await EventuallyAsync(() => store.CreateAsync($"{prefix}after{i}", Bytes("y")), TimeSpan.FromSeconds(10));
            written.Add(created.Value);
        }

        seen.AddRange(await CollectAsync(feed, 3, TimeSpan.FromSeconds(15)));

        Assert.Equal(written, seen.Select(e => e.Revision));
    }

    /// <summary>Retries while the store is still unavailable (the breaker lets a trial call through every second).</summary>
    private static async Task<StoreResult<T>> EventuallyAsync<T>(Func<Task<StoreResult<T>>> call, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                var result = await call();
                Assert.Equal(StoreStatus.Ok, result.Status);
                return result;
            }
            catch (StoreUnavailableException) when (deadline.Elapsed < timeout)
            {
                await Task.Delay(100);
            }
        }
    }
}
