namespace K8sHost.Storage.Etcd;

/// <summary>
/// Where a watch has got to, so a broken stream can be resumed with no gap and no duplicate.
/// etcd may put several events in one revision (a multi-key Txn), and a stream can break after only some of them
/// were delivered; so the cursor remembers how many events of the last revision went out. A resumed stream starts
/// at that revision and skips that many of its events.
/// </summary>
internal sealed class EtcdWatchCursor(long afterRevision)
{
    private long _skip;

    /// <summary>Revision of the last event delivered (or the last revision known complete).</summary>
    public long LastRevision { get; private set; } = afterRevision;

    /// <summary>Events of <see cref="LastRevision"/> already delivered; 0 when that revision is known complete.</summary>
    public long DeliveredAtLast { get; private set; }

    /// <summary>The start_revision for a (re)connected stream; resets the skip counter for it.</summary>
    public long BeginStream()
    {
        _skip = DeliveredAtLast;
        return DeliveredAtLast > 0 ? LastRevision : LastRevision + 1;
    }

    /// <summary>True if the event is new (and records it); false if an earlier stream already delivered it.</summary>
    public bool Accept(long revision)
    {
        if (revision < LastRevision || (revision == LastRevision && _skip > 0))
        {
            if (revision == LastRevision)
            {
                _skip--;
            }

            return false;
        }

        _skip = 0;
        if (revision == LastRevision && DeliveredAtLast > 0)
        {
            DeliveredAtLast++;
        }
        else
        {
            LastRevision = revision;
            DeliveredAtLast = 1;
        }

        return true;
    }

    /// <summary>etcd says every event up to <paramref name="revision"/> was sent. True if that is news.</summary>
    public bool Progress(long revision)
    {
        if (revision < LastRevision)
        {
            return false;
        }

        LastRevision = revision;
        DeliveredAtLast = 0;
        _skip = 0;
        return true;
    }
}
