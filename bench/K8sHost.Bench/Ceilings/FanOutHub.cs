using System.Collections.Concurrent;
using System.Threading.Channels;

namespace K8sHost.Bench.Ceilings;

/// <summary>
/// The minimal fan-out a watch server needs: a bounded channel per subscriber, filled by the publisher, drained by the
/// subscriber's response loop. A subscriber whose channel is full is dropped (closed), as the API does with slow clients.
/// </summary>
public sealed class FanOutHub
{
    private readonly ConcurrentDictionary<long, Channel<byte[]>> _subscribers = new();
    private long _nextId;

    public int Count => _subscribers.Count;
    public long Dropped;

    public (long Id, ChannelReader<byte[]> Reader) Subscribe(int capacity = 1000)
    {
        var channel = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true });
        var id = Interlocked.Increment(ref _nextId);
        _subscribers[id] = channel;
        return (id, channel.Reader);
    }

    public void Unsubscribe(long id) => _subscribers.TryRemove(id, out _);

    public void Publish(byte[] line)
    {
        foreach (var (id, channel) in _subscribers)
        {
            if (channel.Writer.TryWrite(line)) continue;
            channel.Writer.TryComplete();
            _subscribers.TryRemove(id, out _);
            Interlocked.Increment(ref Dropped);
        }
    }
}
