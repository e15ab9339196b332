using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Grpc.Core;
using K8sHost.Storage.Etcd.Protocol;

namespace K8sHost.Storage.Etcd;

/// <summary>
/// The change feed over etcd's native Watch. A pump task keeps one watch stream open on the active member and
/// writes events into a bounded channel (so a slow reader slows the stream rather than buffering without limit).
/// When a stream breaks (member killed, no leader, network) the pump moves to the next member and re-creates the
/// watch from the <see cref="EtcdWatchCursor"/>, so the reader sees no gap and no duplicate. If no stream can be
/// (re)established for <see cref="GiveUpAfter"/> the feed ends with <see cref="StoreUnavailableException"/>.
/// </summary>
internal sealed class EtcdWatchFeed(EtcdEndpoints endpoints, EtcdCompactionTracker compaction, EtcdResilienceSettings settings, CancellationToken storeClosed)
{
    // etcd's "require leader" metadata: a member cut off from the leader cancels the stream instead of going silent.
    private static readonly Metadata RequireLeader = new() { { "hasleader", "true" } };

    private TimeSpan GiveUpAfter => settings.CallTimeout * 3;

    /// <summary>Diagnostics hook: stream opened/created/failed lines (tests print it when a fault test fails).</summary>
    internal static event Action<string>? Trace;

    public async IAsyncEnumerable<StoreEvent> WatchAsync(string prefix, long afterRevision, [EnumeratorCancellation] CancellationToken ct)
    {
        var channel = Channel.CreateBounded<StoreEvent>(new BoundedChannelOptions(256) { SingleReader = true, SingleWriter = true });
        // Disposing the store ends its feeds quietly rather than failing them with a disposed channel.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct, storeClosed);
        var pump = PumpAsync(prefix, new EtcdWatchCursor(afterRevision), channel.Writer, stop.Token);
        try
        {
            await foreach (var storeEvent in channel.Reader.ReadAllAsync(ct))
            {
                yield return storeEvent;
            }
        }
        finally
        {
            await stop.CancelAsync();
            await pump;
        }
    }

    private async Task PumpAsync(string prefix, EtcdWatchCursor cursor, ChannelWriter<StoreEvent> writer, CancellationToken ct)
    {
        try
        {
            await PumpStreamsAsync(prefix, cursor, writer, ct);
        }
        catch (Exception ex)
        {
            // Anything unexpected reaches the reader instead of dying silently in the background.
            writer.TryComplete(ct.IsCancellationRequested ? null : ex);
        }
    }

    private async Task PumpStreamsAsync(string prefix, EtcdWatchCursor cursor, ChannelWriter<StoreEvent> writer, CancellationToken ct)
    {
        var failingSince = (Stopwatch?)null;
        var backoff = settings.RetryBaseDelay;
        while (!ct.IsCancellationRequested)
        {
            var endpoint = endpoints.Active;
            try
            {
                var finished = await StreamAsync(endpoint, prefix, cursor, writer, () =>
                {
                    failingSince = null;
                    backoff = settings.RetryBaseDelay;
                }, ct);
                if (finished)
                {
                    writer.TryComplete();
                    return;
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is RpcException or HttpRequestException or IOException or OperationCanceledException)
            {
                // Not our cancellation (handled above): a broken connection can surface as a cancelled stream write/read.
                endpoints.ReportFailure(endpoint);
                Trace?.Invoke($"watch {prefix} on {endpoint.Address} failed: {EtcdFailures.Describe(ex)} ({ex.GetType().Name})");
                failingSince ??= Stopwatch.StartNew();
                if (failingSince.Elapsed > GiveUpAfter)
                {
                    writer.TryComplete(new StoreUnavailableException($"etcd unavailable: watch of '{prefix}' lost ({EtcdFailures.Describe(ex)})", ex));
                    return;
                }
            }

            try
            {
                // Jittered exponential backoff between reconnects.
                await Task.Delay(backoff * (0.5 + Random.Shared.NextDouble()), ct);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, settings.RetryMaxDelay.Ticks));
        }

        writer.TryComplete();
    }

    /// <summary>Runs one watch stream. True when the feed is over (compacted); false when the stream ended and should be re-opened.</summary>
    private async Task<bool> StreamAsync(EtcdEndpoint endpoint, string prefix, EtcdWatchCursor cursor, ChannelWriter<StoreEvent> writer, Action connected, CancellationToken ct)
    {
        using var call = endpoint.Watch.Watch(RequireLeader, cancellationToken: ct);
        var create = new WatchCreateRequest
        {
            Key = EtcdKeys.ToBytes(prefix),
            RangeEnd = EtcdKeys.PrefixEnd(prefix),
            StartRevision = cursor.BeginStream(),
            ProgressNotify = true,
            // Delete events carry only the key; the previous value supplies the deleted key's create revision.
            PrevKv = true,
        };
        Trace?.Invoke($"watch {prefix} opening on {endpoint.Address} from {create.StartRevision}");
        await call.RequestStream.WriteAsync(new WatchRequest { CreateRequest = create }, ct);

        await foreach (var response in call.ResponseStream.ReadAllAsync(ct))
        {
            if (response.CompactRevision > 0)
            {
                // The start revision is gone: one Compacted event ends the feed.
                compaction.Observe(response.CompactRevision);
                await writer.WriteAsync(StoreEvent.CompactedAt(response.CompactRevision), ct);
                return true;
            }

            if (response.Canceled)
            {
                throw new RpcException(new Status(StatusCode.Unavailable, $"watch canceled by etcd: {response.CancelReason}"));
            }

            if (response.Created)
            {
                Trace?.Invoke($"watch {prefix} created on {endpoint.Address} at {response.Header.Revision}");
                connected();
                continue;
            }

            if (response.Events.Count == 0)
            {
                if (cursor.Progress(response.Header.Revision))
                {
                    await writer.WriteAsync(StoreEvent.Progress(response.Header.Revision), ct);
                }

                continue;
            }

            foreach (var change in response.Events)
            {
                if (cursor.Accept(change.Kv.ModRevision))
                {
                    await writer.WriteAsync(ToStoreEvent(change), ct);
                }
            }
        }

        Trace?.Invoke($"watch {prefix} on {endpoint.Address} ended by the server");
        return false;
    }

    private static StoreEvent ToStoreEvent(Event change)
    {
        var key = EtcdKeys.FromBytes(change.Kv.Key);
        return change.Type == Event.Types.EventType.Delete
            ? new StoreEvent(StoreEventType.Delete, key, [], change.Kv.ModRevision, change.PrevKv?.CreateRevision ?? 0)
            : new StoreEvent(StoreEventType.Put, key, change.Kv.Value.ToByteArray(), change.Kv.ModRevision, change.Kv.CreateRevision);
    }
}
