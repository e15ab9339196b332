namespace K8sHost.Storage;

public enum StoreEventType
{
    /// <summary>A key was created or updated. <see cref="StoreEvent.Value"/> holds the new bytes.</summary>
    Put,
    /// <summary>A key was deleted. <see cref="StoreEvent.Value"/> is empty.</summary>
    Delete,
    /// <summary>Nothing newer than <see cref="StoreEvent.Revision"/> exists (drives bookmarks).</summary>
    Progress,
    /// <summary>The requested start revision has been compacted away; the feed ends.</summary>
    Compacted,
}

/// <summary>One entry of the change feed. For Put, CreateRevision == Revision means the key was created.</summary>
public sealed record StoreEvent(StoreEventType Type, string Key, byte[] Value, long Revision, long CreateRevision)
{
    public static StoreEvent Progress(long revision) => new(StoreEventType.Progress, "", [], revision, 0);

    public static StoreEvent CompactedAt(long compactedRevision) => new(StoreEventType.Compacted, "", [], compactedRevision, 0);
}
