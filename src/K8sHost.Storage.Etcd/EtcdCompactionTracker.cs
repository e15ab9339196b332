using Google.Protobuf;
using K8sHost.Storage.Etcd.Protocol;

namespace K8sHost.Storage.Etcd;

/// <summary>
/// Knows etcd's compacted revision, which etcd does not expose directly.
/// Approach: remember the highest compaction this client has seen (its own Compact calls and watch cancellations,
/// which carry etcd's compact_revision), then confirm it with one probe: a Range at revision R succeeds exactly when
/// R &gt;= etcd's compacted revision. If the probe fails, someone else compacted further, and a binary search between
/// the known value and the current revision finds the new one (log2 of the gap in probes; the result is cached).
/// The value reported is the revision passed to Compact: history from it onward is kept, so a feed started after it
/// is always served (conservative by one revision, as revision-1 could also still be resumed).
/// </summary>
internal sealed class EtcdCompactionTracker(EtcdCallRunner runner)
{
    // A key nobody writes: probes only need the revision check, not data.
    private static readonly ByteString ProbeKey = ByteString.CopyFrom(0);

    private long _known;

    /// <summary>Records a compaction seen in a Compact response or a watch cancellation.</summary>
    public void Observe(long compactedRevision)
    {
        long seen;
        while (compactedRevision > (seen = Interlocked.Read(ref _known))
            && Interlocked.CompareExchange(ref _known, compactedRevision, seen) != seen)
        {
        }
    }

    public async Task<long> GetAsync(CancellationToken ct)
    {
        var known = Interlocked.Read(ref _known);
        var (current, retained) = await ProbeAsync(Math.Max(known, 1), ct);
        if (retained)
        {
            return known;
        }

        // Invariant: history at `low` is gone, at `high` it is kept (the current revision is never compacted away).
        long low = Math.Max(known, 1), high = current;
        while (high - low > 1)
        {
            var middle = low + ((high - low) / 2);
            if ((await ProbeAsync(middle, ct)).Retained)
            {
                high = middle;
            }
            else
            {
                low = middle;
            }
        }

        Observe(high);
        return Interlocked.Read(ref _known);
    }

    private Task<(long Current, bool Retained)> ProbeAsync(long revision, CancellationToken ct) =>
        runner.RunAsync<(long, bool)>(
            "compaction probe",
            async (endpoint, _, token) =>
            {
                try
                {
                    var response = await endpoint.Kv.RangeAsync(
                        new RangeRequest { Key = ProbeKey, Revision = revision, CountOnly = true },
                        cancellationToken: token);
                    return (response.Header.Revision, true);
                }
                catch (Exception ex) when (EtcdFailures.IsCompacted(ex))
                {
                    var current = await endpoint.Kv.RangeAsync(new RangeRequest { Key = ProbeKey, CountOnly = true }, cancellationToken: token);
                    return (current.Header.Revision, false);
                }
            },
            ct);
}
