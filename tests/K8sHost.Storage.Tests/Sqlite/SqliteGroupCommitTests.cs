using System.Text;
using Xunit;

namespace K8sHost.Storage.Tests.Sqlite;

public sealed class SqliteGroupCommitTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task SixtyFourConcurrentCreates_EachCallerGetsItsOwnResult_InFewerTransactions()
    {
        await using var store = await _database.OpenAsync();
        await store.CreateAsync("pods/taken", Encoding.UTF8.GetBytes("first"));
        var before = store.CommittedTransactions;

        // Half the callers create fresh keys, half collide with an existing key: a KeyExists in a batch must not
        // fail or delay its neighbours.
        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(() =>
            store.CreateAsync(i % 2 == 0 ? $"pods/p{i:D2}" : "pods/taken", Encoding.UTF8.GetBytes($"value {i}")))));

        for (var i = 0; i < 64; i++)
        {
            if (i % 2 == 0)
            {
                Assert.Equal(StoreStatus.Ok, results[i].Status);
                var got = (await store.GetAsync($"pods/p{i:D2}")).Value!;
                Assert.Equal((results[i].Value, $"value {i}"), (got.ModRevision, Encoding.UTF8.GetString(got.Value)));
            }
            else
            {
                Assert.Equal(StoreStatus.KeyExists, results[i].Status);
                Assert.Equal("first", Encoding.UTF8.GetString(results[i].Current!.Value));
            }
        }

        var revisions = results.Where(r => r.IsOk).Select(r => r.Value).ToList();
        Assert.Equal(revisions.Count, revisions.Distinct().Count());
        Assert.True(store.CommittedTransactions - before < 64, $"{store.CommittedTransactions - before} transactions for 64 writes");
    }

    [Fact]
    public async Task ConflictingUpdatesInOneBatch_OnlyTheFirstWins_AndTheRestSeeItsResult()
    {
        await using var store = await _database.OpenAsync();
        var created = (await store.CreateAsync("cm/x", Encoding.UTF8.GetBytes("0"))).Value;

        var results = await Task.WhenAll(Enumerable.Range(0, 32).Select(i =>
            store.UpdateAsync("cm/x", Encoding.UTF8.GetBytes($"{i}"), created)));

        var winner = Assert.Single(results, r => r.IsOk);
        Assert.All(results.Where(r => !r.IsOk), r =>
        {
            Assert.Equal(StoreStatus.Conflict, r.Status);
            Assert.Equal(winner.Value, r.Current!.ModRevision);
        });
    }
}
