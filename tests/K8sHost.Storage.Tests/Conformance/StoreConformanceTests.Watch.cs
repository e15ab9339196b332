using Xunit;

namespace K8sHost.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    /// <summary>Writes create a, create b, update a, delete b; returns the revision before them and all four revisions.</summary>
    private async Task<(long Start, long[] Revisions)> WriteHistoryAsync()
    {
        var start = await Store.GetCurrentRevisionAsync();
        var a = await MustCreateAsync(K("a"), "a1");
        var b = await MustCreateAsync(K("b"), "b1");
        var a2 = await MustUpdateAsync(K("a"), "a2", a);
        var bDeleted = await MustDeleteAsync(K("b"));
        return (start, [a, b, a2, bDeleted]);
    }

    [Fact]
    public async Task Watch_FromARevision_DeliversEveryChangeInOrderWithTypesValuesAndCreateRevisions()
    {
        var (start, r) = await WriteHistoryAsync();

        var events = await WatchCollector.TakeChangesAsync(Store, Prefix, start, 4);

        Assert.Equal(
            [
                (StoreEventType.Put, K("a"), "a1", r[0], r[0]),
                (StoreEventType.Put, K("b"), "b1", r[1], r[1]),
                (StoreEventType.Put, K("a"), "a2", r[2], r[0]),
                (StoreEventType.Delete, K("b"), "", r[3], r[1]),
            ],
            events.Select(e => (e.Type, e.Key, S(e.Value), e.Revision, e.CreateRevision)));
    }

    [Fact]
    public async Task Watch_ResumedAfterAnyRevision_DeliversExactlyTheLaterChanges()
    {
        var (start, r) = await WriteHistoryAsync();
        long[] resumePoints = [start, .. r];

        foreach (var after in resumePoints)
        {
            var expected = r.Where(x => x > after).ToList();
            var events = await WatchCollector.TakeChangesAsync(Store, Prefix, after, expected.Count, TimeSpan.FromSeconds(5));
            Assert.Equal(expected, events.Select(e => e.Revision));
        }

        // Nothing after the last change: the feed stays quiet (no duplicate of the last event).
        var quiet = await WatchCollector.TakeChangesAsync(Store, Prefix, r[^1], 1, TimeSpan.FromMilliseconds(700));
        Assert.Empty(quiet);
    }

    [Fact]
    public async Task Watch_IgnoresKeysOutsideThePrefix()
    {
        var start = await Store.GetCurrentRevisionAsync();
        await MustCreateAsync(K("pods/ab/x"), "sibling");
        await MustCreateAsync(K("pods/a"), "bare");
        var mine = await MustCreateAsync(K("pods/a/x"), "mine");

        var events = await WatchCollector.TakeChangesAsync(Store, K("pods/a/"), start, 1);

        var only = Assert.Single(events);
        Assert.Equal((K("pods/a/x"), mine), (only.Key, only.Revision));
    }

    [Fact]
    public async Task Watch_DeliversLiveChangesMadeAfterItStarted_InOrderWithoutGaps()
    {
        var start = await Store.GetCurrentRevisionAsync();
        var collecting = WatchCollector.TakeChangesAsync(Store, Prefix, start, 30);
        await Task.Delay(100);

        // Concurrent writers: the feed must still deliver every revision once, in increasing order.
        var written = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => MustCreateAsync(K($"k{i:D2}"), "v")));

        var events = await collecting;
        Assert.Equal(written.Order(), events.Select(e => e.Revision));
    }

    [Fact]
    public async Task Watch_WhenIdle_SendsProgressWithARevisionAtOrAfterTheLastChange()
    {
        var last = await MustCreateAsync(K("a"), "v");

        var events = await WatchCollector.TakeUntilAsync(
            Store, Prefix, last, e => e.Type == StoreEventType.Progress, TimeSpan.FromSeconds(8));

        var progress = Assert.Single(events);
        Assert.Equal(StoreEventType.Progress, progress.Type);
        Assert.True(progress.Revision >= last);
    }

    [Fact]
    public async Task Watch_CancelledByCaller_Ends()
    {
        using var cts = new CancellationTokenSource();
        var watching = Task.Run(async () =>
        {
            await foreach (var _ in Store.WatchAsync(Prefix, await Store.GetCurrentRevisionAsync(), cts.Token))
            {
            }
        });
        await Task.Delay(100);

        await cts.CancelAsync();

        var ended = await Task.WhenAny(watching, Task.Delay(TimeSpan.FromSeconds(5)));
        Assert.Same(watching, ended);
        Assert.True(watching.IsCanceled || watching.IsCompletedSuccessfully || watching.Exception?.InnerException is OperationCanceledException);
    }
}
