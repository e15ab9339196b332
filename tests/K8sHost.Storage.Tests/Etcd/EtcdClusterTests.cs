using System.Collections.Concurrent;
using System.Diagnostics;
using K8sHost.Storage.Etcd;
using Xunit;
using Xunit.Abstractions;
using static K8sHost.Storage.Tests.Etcd.EtcdTestHelpers;

namespace K8sHost.Storage.Tests.Etcd;

/// <summary>A real 3-member etcd cluster on loopback; one member is killed in the middle of a write load.</summary>
public sealed class EtcdClusterTests(ITestOutputHelper output)
{
    private const int Writers = 4;
    private const int CreatesPerWriter = 75;
    private const int KillAfterAcks = 100;

    [Fact]
    public async Task KillingTheActiveMember_MidLoad_LosesNoAcknowledgedWrite_AndTheWatchSeesEveryRevisionOnce()
    {
        using var testTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var ct = testTimeout.Token;
        var members = EtcdProcess.Cluster(3);
        var prefix = UniquePrefix();
        var trace = new ConcurrentQueue<string>();
        var clock = Stopwatch.StartNew();
        void Record(string line)
        {
            if (line.Contains(prefix, StringComparison.Ordinal))
            {
                trace.Enqueue($"{clock.ElapsedMilliseconds}ms {line}");
            }
        }

        EtcdWatchFeed.Trace += Record;
        try
        {
            foreach (var member in members)
            {
                member.Start();
            }

            await Task.WhenAll(members.Select(m => m.WaitHealthyAsync(TimeSpan.FromSeconds(20))));

            await using var store = new EtcdStore([.. members.Select(m => m.ClientUrl)], new StoreOptions { CallTimeout = TimeSpan.FromSeconds(5) });
            var start = await store.GetCurrentRevisionAsync(ct);

            // The watch is opened before the load and before the kill; it shares the store's active member.
            var watched = new List<StoreEvent>();
            using var stopWatch = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var watchTask = Task.Run(async () =>
            {
                await foreach (var change in store.WatchAsync(prefix, start, stopWatch.Token))
                {
                    if (change.Type is StoreEventType.Put or StoreEventType.Delete)
                    {
                        lock (watched)
                        {
                            watched.Add(change);
                        }
                    }
                }
            }, ct);

            var acked = new ConcurrentDictionary<string, long>();
            var failures = new ConcurrentQueue<string>();
            var killed = (EtcdProcess?)null;
            var killGate = new object();
            var load = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
            {
                for (var i = 0; i < CreatesPerWriter; i++)
                {
                    var key = $"{prefix}w{writer}-{i:D3}";
                    try
                    {
                        var result = await store.CreateAsync(key, Bytes(key), ct);
                        Assert.Equal(StoreStatus.Ok, result.Status);
                        acked[key] = result.Value;
                    }
                    catch (StoreUnavailableException ex)
                    {
                        failures.Enqueue($"{key}: {ex.Message}");
                    }

                    lock (killGate)
                    {
                        if (killed is null && acked.Count >= KillAfterAcks)
                        {
                            killed = members.Single(m => m.ClientUrl == store.ActiveEndpoint);
                            killed.Kill();
                            trace.Enqueue($"{clock.ElapsedMilliseconds}ms killed {killed.Name} {killed.ClientUrl} after {acked.Count} acks");
                        }
                    }
                }
            }, ct)));
            load.Stop();
            output.WriteLine($"{acked.Count} creates in {load.Elapsed.TotalSeconds:F1}s ({acked.Count / load.Elapsed.TotalSeconds:F0}/s) with one member killed; killed {killed?.Name}; failures {failures.Count}");

            Assert.NotNull(killed);
            Assert.True(failures.IsEmpty, string.Join("; ", failures.Take(3)));
            Assert.NotEqual(killed.ClientUrl, store.ActiveEndpoint);

            // Every acknowledged create is readable, at the revision that was acknowledged.
            foreach (var (key, revision) in acked)
            {
                var got = await store.GetAsync(key, ct);
                Assert.Equal(StoreStatus.Ok, got.Status);
                Assert.Equal(revision, got.Value!.ModRevision);
            }

            // The watch delivers exactly the acknowledged revisions, in order: no gap, no duplicate.
            var expected = acked.Values.Order().ToList();
            var deadline = Stopwatch.StartNew();
            int WatchedCount()
            {
                lock (watched)
                {
                    return watched.Count;
                }
            }

            while (WatchedCount() < expected.Count && deadline.Elapsed < TimeSpan.FromSeconds(15))
            {
                await Task.Delay(50, ct);
            }

            await stopWatch.CancelAsync();
            await Task.WhenAny(watchTask, Task.Delay(TimeSpan.FromSeconds(5), ct));
            lock (watched)
            {
                var got = watched.Select(e => e.Revision).ToList();
                var missing = expected.Except(got).Take(5);
                var extra = got.Except(expected).Take(5);
                var duplicates = got.GroupBy(r => r).Where(g => g.Count() > 1).Select(g => g.Key).Take(5);
                Assert.True(
                    expected.SequenceEqual(got),
                    $"watch saw {got.Count} of {expected.Count}; missing [{string.Join(",", missing)}] extra [{string.Join(",", extra)}] " +
                    $"duplicates [{string.Join(",", duplicates)}] watch ended: {watchTask.Status} {watchTask.Exception?.InnerException?.Message}\n" +
                string.Join("\n", trace));
                Assert.All(watched, e => Assert.Equal(acked[e.Key], e.Revision));
            }
        }
        finally
        {
            EtcdWatchFeed.Trace -= Record;
            foreach (var member in members)
            {
                await member.DisposeAsync();
            }
        }

    }
}
