namespace K8sHost.Storage.FlareDb.Routing;

/// <summary>
/// Regions the client has learned from PD, keyed by start key. Entries are dropped when a store says they are
/// stale (EpochNotMatch, RegionNotFound) and re-learned on the next lookup, as TiKV clients do.
/// </summary>
internal sealed class RegionCache
{
    private readonly Lock _gate = new();
    private readonly List<RegionRoute> _routes = [];

    public RegionRoute? Find(ReadOnlySpan<byte> key)
    {
        lock (_gate)
        {
            foreach (var route in _routes)
            {
                if (route.Contains(key))
                {
                    return route;
                }
            }

            return null;
        }
    }

    /// <summary>Adds a route, evicting any cached region whose range overlaps it (they are older layouts).</summary>
    public void Put(RegionRoute route)
    {
        lock (_gate)
        {
            _routes.RemoveAll(r => r.Id == route.Id || Overlaps(r, route));
            _routes.Add(route);
        }
    }

    public void Invalidate(ulong regionId)
    {
        lock (_gate)
        {
            _routes.RemoveAll(r => r.Id == regionId);
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _routes.Clear();
        }
    }

    private static bool Overlaps(RegionRoute a, RegionRoute b)
    {
        // [aStart, aEnd) and [bStart, bEnd) overlap when each starts before the other ends.
        var aStartsBeforeBEnds = b.Region.EndKey.IsEmpty || a.Region.StartKey.Span.SequenceCompareTo(b.Region.EndKey.Span) < 0;
        var bStartsBeforeAEnds = a.Region.EndKey.IsEmpty || b.Region.StartKey.Span.SequenceCompareTo(a.Region.EndKey.Span) < 0;
        return aStartsBeforeBEnds && bStartsBeforeAEnds;
    }
}
