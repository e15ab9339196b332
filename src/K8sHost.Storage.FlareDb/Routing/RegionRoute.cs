using K8sHost.FlareDb.Protocol.Metapb;

namespace K8sHost.Storage.FlareDb.Routing;

/// <summary>A cached region: its key range and epoch, the peer believed to lead it and that store's address.</summary>
internal sealed record RegionRoute(Region Region, Peer Leader, string LeaderAddress)
{
    public ulong Id => Region.Id;

    public byte[] StartKey => Region.StartKey.ToByteArray();

    /// <summary>Exclusive end; empty = end of key space.</summary>
    public byte[] EndKey => Region.EndKey.ToByteArray();

    public bool Contains(ReadOnlySpan<byte> key) =>
        key.SequenceCompareTo(Region.StartKey.Span) >= 0 && (Region.EndKey.IsEmpty || key.SequenceCompareTo(Region.EndKey.Span) < 0);
}
