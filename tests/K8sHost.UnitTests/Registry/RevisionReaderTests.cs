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
}
