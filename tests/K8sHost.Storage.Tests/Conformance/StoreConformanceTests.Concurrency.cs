using System.Collections.Concurrent;
using Xunit;

namespace K8sHost.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task ConcurrentCasIncrements_LoseNoUpdate_AndEveryFailureIsAConflict()
    {
        const int writers = 20;
        const int incrementsEach = 5;
        var key = K("counter");
        await MustCreateAsync(key, "0");
        var failures = new ConcurrentBag<StoreStatus>();
        var successes = 0;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            var current = (await Store.GetAsync(key)).Value!;
            for (var done = 0; done < incrementsEach;)
            {
                deadline.Token.ThrowIfCancellationRequested();
                var next = int.Parse(S(current.Value)) + 1;
                var result = await Store.UpdateAsync(key, B(next.ToString()), current.ModRevision);
                if (result.IsOk)
                {
                    Interlocked.Increment(ref successes);
                    current = current with { Value = B(next.ToString()), ModRevision = result.Value };
                    done++;
                }
                else
                {
                    failures.Add(result.Status);
                    current = result.Current ?? (await Store.GetAsync(key)).Value!;
                }
            }
        })));

        Assert.Equal(writers * incrementsEach, successes);
        Assert.Equal(successes.ToString(), S((await Store.GetAsync(key)).Value!.Value));
        Assert.All(failures, f => Assert.Equal(StoreStatus.Conflict, f));
    }

    [Fact]
    public async Task ConcurrentCreatesOfOneKey_ExactlyOneWins()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Store.CreateAsync(K("race"), B($"{i}"))));

        Assert.Single(results, r => r.IsOk);
        Assert.All(results.Where(r => !r.IsOk), r => Assert.Equal(StoreStatus.KeyExists, r.Status));
    }
}
