using System.Threading.Channels;
using K8sHost.Registry.Contracts;

namespace K8sHost.Registry.Cache;

/// <summary>What a watcher wants: a key prefix (tenant + resource [+ namespace]) and a selector predicate.</summary>
public sealed record WatchRequest(string Prefix, Func<ObjectVersion, bool> Matches)
{
    /// <summary>Replay events after this revision; null = start with ADDED for the current state.</summary>
    public long? ResumeAfter { get; init; }
    /// <summary>WatchList: after the initial ADDED events send a BOOKMARK with InitialEventsEnd.</summary>
    public bool SendInitialEvents { get; init; }
    public bool AllowBookmarks { get; init; }
    public TimeSpan? Timeout { get; init; }
    /// <summary>Maps each stored version to the one this watcher is sent (another version of a shared resource); null = as stored.
    /// <see cref="Matches"/> sees stored versions, so a projecting caller composes it with the same map.</summary>
    public Func<ObjectVersion, ObjectVersion>? Project { get; init; }
}

/// <summary>
/// One client's watch: a bounded channel fed by the cache's dispatcher. Delivery never waits: a full channel drops
/// the watch (<see cref="Dropped"/>; the client re-lists or resumes), so one slow client cannot stall the others.
/// </summary>
internal sealed class CacheWatcher : IWatchSubscription
{
    private readonly Channel<WatchEvent> _channel;
    private readonly WatchCache _owner;
    private readonly CancellationTokenSource _timeout = new();
    // Not disposed: it has no timer, and it is cancelled off the dispatcher thread, possibly after DisposeAsync.
    private readonly CancellationTokenSource _dropped = new();
    private int _closed;

    public CacheWatcher(WatchCache owner, WatchRequest request, int capacity)
    {
        _owner = owner;
        Request = request;
        _channel = Channel.CreateBounded<WatchEvent>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then fails instead of dropping silently
        });
    }

    public WatchRequest Request { get; }

    public ChannelReader<WatchEvent> Events => _channel.Reader;

    public bool IsClosed => Volatile.Read(ref _closed) == 1;

    public CancellationToken Dropped => _dropped.Token;

    public void StartTimer(TimeSpan timeout)
    {
        _timeout.Token.Register(static s => ((CacheWatcher)s!).Close(), this);
        _timeout.CancelAfter(timeout);
    }

    /// <summary>Translates a cache event into what this watcher sees, including selector transitions.</summary>
    public void Deliver(CachedEvent e)
    {
        if (!e.Key.StartsWith(Request.Prefix, StringComparison.Ordinal)) return;
        var wasMatching = e.Prev is not null && Request.Matches(e.Prev);
        if (e.IsDelete)
        {
            if (wasMatching) Send(new WatchEvent(WatchEventType.Deleted, e.Object, e.Revision));
            return;
        }
        var isMatching = Request.Matches(e.Object);
        if (isMatching) Send(new WatchEvent(wasMatching ? WatchEventType.Modified : WatchEventType.Added, e.Object, e.Revision));
        else if (wasMatching) Send(new WatchEvent(WatchEventType.Deleted, e.Object, e.Revision));
    }

    public void Send(WatchEvent ev)
    {
        if (IsClosed) return;
        if (Request.Project is { } project && ev.Object is { } stored) ev = ev with { Object = project(stored) };
        if (!_channel.Writer.TryWrite(ev)) Drop();
    }

    /// <summary>
    /// The client fell behind: stop delivering and tell the stream to close the connection now. Draining the queue
    /// first would keep a connection the client does not read open (and its events in memory) until the watch
    /// times out. The token's callbacks abort the connection, so they run on the pool, not under the cache's lock.
    /// </summary>
    private void Drop()
    {
        Close();
        ThreadPool.UnsafeQueueUserWorkItem(static s => s.Cancel(), _dropped, preferLocal: false);
    }

    /// <summary>Ends the stream after what was already queued; safe to call from any thread, any number of times.</summary>
    public void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 1) return;
        _channel.Writer.TryComplete();
        _owner.Remove(this);
    }

    public ValueTask DisposeAsync()
    {
        Close();
        _timeout.Dispose();
        return ValueTask.CompletedTask;
    }
}
