using System.Collections.Concurrent;
using Google.Protobuf;
using K8sHost.FlareDb.Protocol.Metapb;

namespace K8sHost.FlareDb.ProtocolServer.Cluster;

/// <summary>
/// The cluster PD describes: stores (one per listening port), regions with key ranges, epochs and leaders.
/// Tests change it while it runs: split a region (bumps epochs so stale clients get EpochNotMatch) or move a
/// region's leader to another store (stale clients get NotLeader with a hint).
/// </summary>
public sealed class ClusterState
{
    private readonly Lock _gate = new();
    private readonly List<RegionState> _regions = [];
    private ulong _nextRegionId = 1;

    public ClusterState(IReadOnlyList<int> storePorts, IEnumerable<byte[]> splitKeys)
    {
        StorePorts = storePorts;
        var bounds = splitKeys.OrderBy(k => k, ByteOrder.Instance).ToList();
        var start = Array.Empty<byte>();
        for (var i = 0; i <= bounds.Count; i++)
        {
            var end = i < bounds.Count ? bounds[i] : [];
            AddRegion(start, end, leaderStore: (ulong)(i % storePorts.Count) + 1, version: 1);
            start = end;
        }
    }

    public ulong ClusterId => 7_000_001;

    /// <summary>Store n (1-based) listens on StorePorts[n-1].</summary>
    public IReadOnlyList<int> StorePorts { get; }

    public RawEngine Engine { get; } = new();

    public Faults Faults { get; } = new();

    /// <summary>How many times each RPC was called (e.g. "RawScan", "GetRegion").</summary>
    public ConcurrentDictionary<string, int> Calls { get; } = new();

    /// <summary>How many store calls each store (by id) answered without a region error.</summary>
    public ConcurrentDictionary<ulong, int> ServedByStore { get; } = new();

    /// <summary>How many region errors of each kind ("NotLeader", "EpochNotMatch", "RegionNotFound", …) were answered.</summary>
    public ConcurrentDictionary<string, int> RegionErrors { get; } = new();

    /// <summary>The limit of every RawScan received, in order.</summary>
    public ConcurrentQueue<uint> ScanLimits { get; } = new();

    public ulong StoreIdForPort(int port)
    {
        for (var i = 0; i < StorePorts.Count; i++)
        {
            if (StorePorts[i] == port)
            {
                return (ulong)i + 1;
            }
        }

        return 0;
    }

    public IReadOnlyList<RegionState> Regions
    {
        get
        {
            lock (_gate)
            {
                return [.. _regions];
            }
        }
    }

    public RegionState? RegionById(ulong id)
    {
        lock (_gate)
        {
            return _regions.FirstOrDefault(r => r.Id == id);
        }
    }

    public RegionState RegionForKey(ReadOnlySpan<byte> key)
    {
        lock (_gate)
        {
            foreach (var region in _regions)
            {
                if (region.Contains(key))
                {
                    return region;
                }
            }

            throw new InvalidOperationException("regions do not cover the key space");
        }
    }

    /// <summary>Splits the region holding <paramref name="key"/> at it. Both halves get a new epoch version.</summary>
    public void Split(byte[] key)
    {
        lock (_gate)
        {
            var region = _regions.First(r => r.Contains(key));
            if (region.StartKey.AsSpan().SequenceEqual(key))
            {
                return;
            }

            var version = region.Version + 1;
            var right = new RegionState(_nextRegionId++, key, region.EndKey, version, 1, region.LeaderStore, StorePorts.Count);
            _regions.Remove(region);
            _regions.Add(region with { EndKey = key, Version = version });
            _regions.Add(right);
            _regions.Sort((a, b) => ByteOrder.Instance.Compare(a.StartKey, b.StartKey));
        }
    }

    /// <summary>Moves leadership of the region holding <paramref name="key"/> to another store; returns the new leader store id.</summary>
    public ulong TransferLeader(byte[] key)
    {
        lock (_gate)
        {
            var index = _regions.FindIndex(r => r.Contains(key));
            var region = _regions[index];
            var next = region.LeaderStore % (ulong)StorePorts.Count + 1;
            _regions[index] = region with { LeaderStore = next };
            return next;
        }
    }

    /// <summary>
    /// Gives the region holding <paramref name="key"/> a new id, as if it had been merged away and re-created:
    /// clients still addressing the old id get RegionNotFound.
    /// </summary>
    public ulong Renumber(byte[] key)
    {
        lock (_gate)
        {
            var index = _regions.FindIndex(r => r.Contains(key));
            var region = _regions[index] with { Id = _nextRegionId++ };
            _regions[index] = region;
            return region.Id;
        }
    }

    private void AddRegion(byte[] start, byte[] end, ulong leaderStore, ulong version)
    {
        _regions.Add(new RegionState(_nextRegionId++, start, end, version, 1, leaderStore, StorePorts.Count));
    }
}

/// <summary>One region: [StartKey, EndKey), its epoch, and the store leading it. It has a peer on every store.</summary>
public sealed record RegionState(ulong Id, byte[] StartKey, byte[] EndKey, ulong Version, ulong ConfVer, ulong LeaderStore, int StoreCount)
{
    public bool Contains(ReadOnlySpan<byte> key) =>
        key.SequenceCompareTo(StartKey) >= 0 && (EndKey.Length == 0 || key.SequenceCompareTo(EndKey) < 0);

    internal Peer PeerOn(ulong storeId) => new() { Id = Id * 100 + storeId, StoreId = storeId, Role = PeerRole.Voter };

    internal Peer Leader => PeerOn(LeaderStore);

    internal Region ToProto()
    {
        var region = new Region
        {
            Id = Id,
            StartKey = ByteString.CopyFrom(StartKey),
            EndKey = ByteString.CopyFrom(EndKey),
            RegionEpoch = new RegionEpoch { Version = Version, ConfVer = ConfVer },
        };
        for (var store = 1UL; store <= (ulong)StoreCount; store++)
        {
            region.Peers.Add(PeerOn(store));
        }

        return region;
    }
}
