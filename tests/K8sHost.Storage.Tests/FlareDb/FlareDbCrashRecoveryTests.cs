using System.Diagnostics;
using K8sHost.Storage.FlareDb.Layout;
using Xunit;
using static K8sHost.Storage.Tests.FlareDb.FlareDbTestCluster;

namespace K8sHost.Storage.Tests.FlareDb;

/// <summary>
/// A writer that dies part-way leaves state behind in the raw key space. These tests plant exactly that state in the
/// server's engine (as a crash would leave it) and check that readers, writers and the watch feed stay correct.
/// </summary>
public sealed class FlareDbCrashRecoveryTests : IAsyncLifetime
{
    private const string Key = "k8s/org/proj/secrets/default/s";
    private FlareDbTestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await StartAsync("k8s/org/proj/secrets/default/m");

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task IntentOfAWriterThatDiedBeforeItsCommit_IsInvisible_ThenRolledBackAfterTheGrace_AndNeverWatched()
    {
        var store = await _cluster.OpenAsync();
        var created = (await store.CreateAsync(Key, B("v1"))).Value;
        var crashed = PlantRevision();
        PlantIntent(crashed, "v2-never-committed");

        var whileLocked = await store.GetAsync(Key);
        var clock = Stopwatch.StartNew();
        var updated = await store.UpdateAsync(Key, B("v3"), created);
        clock.Stop();
        var events = await TakeChangesAsync(store, created, 1);

        Assert.Equal(("v1", created), (S(whileLocked.Value!.Value), whileLocked.Value.ModRevision));
        Assert.True(updated.IsOk);
        Assert.True(updated.Value > crashed);
        Assert.True(clock.Elapsed >= Settings.IntentGrace * 0.5, "the update had to wait for the grace period before fencing the dead writer off");
        Assert.Equal([(StoreEventType.Put, updated.Value, "v3")], events.Select(e => (e.Type, e.Revision, S(e.Value))));
        Assert.Equal(LogState.Aborted, LogRecord.Decode(crashed, _cluster.State.Engine.Get(Keys.Log(crashed))!).State);
    }

    [Fact]
    public async Task IntentOfAWriterThatDiedAfterItsCommit_IsRolledForward_WithoutWaiting()
    {
        var store = await _cluster.OpenAsync();
        var created = (await store.CreateAsync(Key, B("v1"))).Value;
        var crashed = PlantRevision();
        var previous = PlantIntent(crashed, "v2");
        _cluster.State.Engine.Put(Keys.Log(crashed), new LogRecord(crashed, LogState.Committed, WriteOp.Put, Key, created, B("v2"), previous).Encode());

        var got = await store.GetAsync(Key);
        var clock = Stopwatch.StartNew();
        var updated = await store.UpdateAsync(Key, B("v3"), crashed);
        clock.Stop();
        var events = await TakeChangesAsync(store, created, 2);

        Assert.Equal(("v2", crashed, created), (S(got.Value!.Value), got.Value.ModRevision, got.Value.CreateRevision));
        Assert.True(updated.IsOk);
        Assert.True(clock.Elapsed < Settings.IntentGrace, "a committed intent is rolled forward at once");
        Assert.Equal([(crashed, "v2"), (updated.Value, "v3")], events.Select(e => (e.Revision, S(e.Value))));
    }

    [Fact]
    public async Task RevisionDrawnByAWriterThatDiedBeforeLockingTheKey_IsSkippedByTheWatchAfterTheGrace()
    {
        var store = await _cluster.OpenAsync();
        var start = await store.GetCurrentRevisionAsync();
        var lost = PlantRevision();

        var created = (await store.CreateAsync(Key, B("after"))).Value;
        var events = await TakeChangesAsync(store, start, 1);

        Assert.Equal(lost + 1, created);
        Assert.Equal([(StoreEventType.Put, created)], events.Select(e => (e.Type, e.Revision)));
        Assert.Equal(LogState.Aborted, LogRecord.Decode(lost, _cluster.State.Engine.Get(Keys.Log(lost))!).State);
    }

    [Fact]
    public async Task CurrentRevision_WaitsUntilEveryLowerRevisionIsDecided()
    {
        var store = await _cluster.OpenAsync();
        var undecided = PlantRevision();

        var clock = Stopwatch.StartNew();
        var current = await store.GetCurrentRevisionAsync();
        clock.Stop();

        Assert.Equal(undecided, current);
        Assert.True(clock.Elapsed >= Settings.IntentGrace * 0.5, "an open slot below the reported revision must be waited for");
        Assert.Equal(LogState.Aborted, LogRecord.Decode(undecided, _cluster.State.Engine.Get(Keys.Log(undecided))!).State);
    }

    [Fact]
    public async Task WriterStalledPastTheGrace_IsFencedOff_ReportsUnavailable_AndTheOtherWriterWins()
    {
        var shortGrace = Settings with { IntentGrace = TimeSpan.FromMilliseconds(300) };
        var slow = await _cluster.OpenAsync(settings: shortGrace);
        var other = await _cluster.OpenAsync(settings: shortGrace);
        // The slow writer's commit (its CAS on the log slot) is applied only after 700 ms: longer than the grace,
        // shorter than the call timeout, so the client neither times out nor retries.
        _cluster.State.Faults.DelayNextCompareAndSwap(Keys.LogPrefix, TimeSpan.FromMilliseconds(700));

        var stalled = slow.CreateAsync(Key, B("slow"));
        await Task.Delay(50);
        var winner = await other.CreateAsync(Key, B("fast"));

        await Assert.ThrowsAsync<StoreUnavailableException>(() => stalled);
        Assert.True(winner.IsOk);
        Assert.Equal("fast", S((await slow.GetAsync(Key)).Value!.Value));
        var events = await TakeChangesAsync(other, 0, 1);
        Assert.Equal([(winner.Value, "fast")], events.Select(e => (e.Revision, S(e.Value))));
    }

    [Fact]
    public async Task Compact_RemovesTheTombstonesOfDeletedKeys_AndTheKeyCanBeCreatedAgain()
    {
        var store = await _cluster.OpenAsync();
        await store.CreateAsync(Key, B("v1"));
        var deleted = (await store.DeleteAsync(Key, 0)).Value;
        Assert.NotNull(_cluster.State.Engine.Get(Keys.Data(Key)));

        await store.CompactAsync(deleted);
        var leftAfterCompaction = _cluster.State.Engine.Get(Keys.Data(Key));
        var recreated = await store.CreateAsync(Key, B("v2"));

        Assert.Null(leftAfterCompaction);
        Assert.True(recreated.IsOk);
        Assert.Equal("v2", S((await store.GetAsync(Key)).Value!.Value));
        Assert.Null(_cluster.State.Engine.Get(Keys.Log(deleted)));
    }

    [Fact]
    public async Task ReapingMarkerOfACompactorThatDied_IsInvisible_AndTakenOverByACreateOnceStale()
    {
        var store = await _cluster.OpenAsync();
        var stale = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - (long)(Settings.IntentGrace.TotalMilliseconds * 4);
        _cluster.State.Engine.Put(Keys.Data(Key), Envelope.Reaping(stale).Encode());

        var before = await store.GetAsync(Key);
        var listed = await store.ListAsync("k8s/org/proj/secrets/", null, 0);
        var created = await store.CreateAsync(Key, B("v"));

        Assert.Equal(StoreStatus.NotFound, before.Status);
        Assert.Empty(listed.Value!.Items);
        Assert.True(created.IsOk);
        Assert.Equal("v", S((await store.GetAsync(Key)).Value!.Value));
    }

    /// <summary>Advances the revision counter as a writer does first, and returns the drawn revision.</summary>
    private long PlantRevision()
    {
        var engine = _cluster.State.Engine;
        var next = Keys.DecodeLong(engine.Get(Keys.RevisionCounter) ?? new byte[8]) + 1;
        engine.Put(Keys.RevisionCounter, Keys.EncodeLong(next));
        return next;
    }

    /// <summary>Locks <see cref="Key"/> with an intent for <paramref name="revision"/>, as step 3 of a write does. Returns the replaced bytes.</summary>
    private byte[] PlantIntent(long revision, string value)
    {
        var engine = _cluster.State.Engine;
        var previous = engine.Get(Keys.Data(Key))!;
        var createdAt = Envelope.Decode(previous)!.CreateRevision;
        engine.Put(Keys.Data(Key), Envelope.Intent(revision, createdAt, WriteOp.Put, B(value), previous, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()).Encode());
        return previous;
    }

    private static async Task<List<StoreEvent>> TakeChangesAsync(IResourceStore store, long after, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var events = new List<StoreEvent>();
        await foreach (var e in store.WatchAsync("k8s/org/proj/secrets/", after, timeout.Token))
        {
            if (e.Type == StoreEventType.Progress)
            {
                continue;
            }

            events.Add(e);
            if (events.Count == count)
            {
                break;
            }
        }

        return events;
    }
}
