namespace K8sHost.Storage.Tests.Conformance;

/// <summary>Reads a store's change feed with a hard deadline so a broken backend fails a test instead of hanging it.</summary>
public static class WatchCollector
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The first <paramref name="count"/> Put/Delete/Compacted events (Progress skipped).</summary>
    public static async Task<List<StoreEvent>> TakeChangesAsync(
        IResourceStore store, string prefix, long afterRevision, int count, TimeSpan? timeout = null)
    {
        var events = new List<StoreEvent>();
        if (count == 0)
        {
            return events;
        }

        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            await foreach (var e in store.WatchAsync(prefix, afterRevision, cts.Token))
            {
                if (e.Type == StoreEventType.Progress)
                {
                    continue;
                }

                events.Add(e);
                if (events.Count == count || e.Type == StoreEventType.Compacted)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            // Deadline reached: the assertion on the collected events reports what was missing.
        }

        return events;
    }

    /// <summary>Everything (including Progress) until <paramref name="stop"/> matches or the deadline passes.</summary>
    public static async Task<List<StoreEvent>> TakeUntilAsync(
        IResourceStore store, string prefix, long afterRevision, Func<StoreEvent, bool> stop, TimeSpan timeout)
    {
        var events = new List<StoreEvent>();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await foreach (var e in store.WatchAsync(prefix, afterRevision, cts.Token))
            {
                events.Add(e);
                if (stop(e))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
        }

        return events;
    }
}
