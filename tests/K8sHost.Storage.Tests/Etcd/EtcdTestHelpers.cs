using System.Text;

namespace K8sHost.Storage.Tests.Etcd;

internal static class EtcdTestHelpers
{
    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    public static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    /// <summary>A prefix no other test uses, so tests sharing one etcd never see each other's keys.</summary>
    public static string UniquePrefix() => $"/t/{Guid.NewGuid():N}/";

    /// <summary>Reads events (skipping Progress) until <paramref name="count"/> arrived or the timeout passed.</summary>
    public static async Task<List<StoreEvent>> CollectAsync(IAsyncEnumerator<StoreEvent> feed, int count, TimeSpan timeout)
    {
        var events = new List<StoreEvent>();
        using var cts = new CancellationTokenSource(timeout);
        while (events.Count < count)
        {
            var next = feed.MoveNextAsync().AsTask();
            var finished = await Task.WhenAny(next, Task.Delay(Timeout.Infinite, cts.Token).ContinueWith(_ => false, TaskScheduler.Default));
            if (finished != next)
            {
                throw new TimeoutException($"watch delivered {events.Count} of {count} events in {timeout}");
            }

            if (!await next)
            {
                break;
            }

            if (feed.Current.Type != StoreEventType.Progress)
            {
                events.Add(feed.Current);
            }
        }

        return events;
    }
}
