namespace K8sHost.FlareDb.ProtocolServer.Cluster;

/// <summary>
/// Faults the test server injects, switchable from tests while it runs. Counters are consumed one per call.
/// </summary>
public sealed class Faults
{
    private int _dropNext;
    private int _notLeaderNext;
    private int _serverBusyNext;
    private int _leaderlessNext;

    /// <summary>Every call (PD and stores) fails with gRPC Unavailable while set.</summary>
    public volatile bool Unavailable;

    /// <summary>Added before every call is answered.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.Zero;

    /// <summary>The next <paramref name="count"/> calls fail with gRPC Unavailable (a dropped request).</summary>
    public void DropNext(int count) => Interlocked.Exchange(ref _dropNext, count);

    /// <summary>The next <paramref name="count"/> store calls answer NotLeader, with the real leader as hint.</summary>
    public void NotLeaderNext(int count) => Interlocked.Exchange(ref _notLeaderNext, count);

    /// <summary>The next <paramref name="count"/> store calls answer NotLeader without a hint (an election in progress).</summary>
    public void LeaderlessNext(int count) => Interlocked.Exchange(ref _leaderlessNext, count);

    /// <summary>The next <paramref name="count"/> store calls answer ServerIsBusy.</summary>
    public void ServerBusyNext(int count) => Interlocked.Exchange(ref _serverBusyNext, count);

    private CasDelay? _casDelay;

    /// <summary>
    /// The next RawCompareAndSwap on a key starting with <paramref name="prefix"/> is applied only after
    /// <paramref name="delay"/> (a store that is slow to apply one write, e.g. a stalled raft proposal).
    /// </summary>
    public void DelayNextCompareAndSwap(byte[] prefix, TimeSpan delay) => Interlocked.Exchange(ref _casDelay, new CasDelay(prefix, delay));

    internal TimeSpan TakeCompareAndSwapDelay(ReadOnlySpan<byte> key)
    {
        var armed = Volatile.Read(ref _casDelay);
        if (armed is not null && key.StartsWith(armed.Prefix) && Interlocked.CompareExchange(ref _casDelay, null, armed) == armed)
        {
            return armed.Delay;
        }

        return TimeSpan.Zero;
    }

    public void Reset()
    {
        Interlocked.Exchange(ref _casDelay, null);
        Unavailable = false;
        Delay = TimeSpan.Zero;
        DropNext(0);
        NotLeaderNext(0);
        ServerBusyNext(0);
        LeaderlessNext(0);
    }

    internal bool TakeDrop() => Take(ref _dropNext);

    internal bool TakeNotLeader() => Take(ref _notLeaderNext);

    internal bool TakeServerBusy() => Take(ref _serverBusyNext);

    internal bool TakeLeaderless() => Take(ref _leaderlessNext);

    private static bool Take(ref int counter)
    {
        while (true)
        {
            var current = Volatile.Read(ref counter);
            if (current <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref counter, current - 1, current) == current)
            {
                return true;
            }
        }
    }

    private sealed record CasDelay(byte[] Prefix, TimeSpan Delay);
}
