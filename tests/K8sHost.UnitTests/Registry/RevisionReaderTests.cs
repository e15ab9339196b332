using K8sHost.Registry.Generic;
using Xunit;

namespace K8sHost.UnitTests.Registry;

public sealed class RevisionReaderTests
{
    [Fact]
    public async Task ConcurrentReads_ShareRoundTrips_AndNeverUseARoundTripThatStartedBeforeThem()
    {
        long committed = 0;
        var gate = new SemaphoreSlim(0);
        var reader = new RevisionReader(async _ =>
        {
            var seen = Interlocked.Read(ref committed); // the revision as of the moment the round trip starts
            await gate.WaitAsync();
            return seen;
        });

        var first = reader.ReadAsync(CancellationToken.None);       // starts round trip #1 (sees 0)
        Interlocked.Exchange(ref committed, 5);                       // a write commits after #1 started
        var later = Enumerable.Range(0, 50).Select(_ => reader.ReadAsync(CancellationToken.None)).ToList();
        Assert.Equal(1, reader.Fetches);

        gate.Release();                                               // #1 returns; #2 starts for the 50 waiters
        Assert.Equal(0, await first);
        gate.Release();
        var results = await Task.WhenAll(later);
        Assert.All(results, r => Assert.Equal(5, r));                // none of them got the stale answer of #1
        Assert.Equal(2, reader.Fetches);
    }

    [Fact]
    public async Task AFailedRoundTrip_FailsItsWaiters_AndTheNextReadTriesAgain()
    {
        var calls = 0;
        var reader = new RevisionReader(_ => ++calls == 1
            ? Task.FromException<long>(new InvalidOperationException("store down"))
            : Task.FromResult(7L));
        await Assert.ThrowsAsync<InvalidOperationException>(() => reader.ReadAsync(CancellationToken.None));
        Assert.Equal(7, await reader.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ReadsQueuedBehindARoundTripThatFails_FailWithIt_InsteadOfWaitingOutAnotherRoundTrip()
    {
        var first = new TaskCompletionSource<long>();
        var calls = 0;
        // Every round trip after the first hangs, as against a frozen store: a queued read must not wait on one.
        var reader = new RevisionReader(_ => ++calls == 1 ? first.Task : new TaskCompletionSource<long>().Task);

        var inFlight = reader.ReadAsync(CancellationToken.None);
        var queued = reader.ReadAsync(CancellationToken.None);
        first.SetException(new IOException("store did not answer"));

        await Assert.ThrowsAsync<IOException>(() => inFlight);
        await Assert.ThrowsAsync<IOException>(() => queued.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(1, reader.Fetches);
    }
}
