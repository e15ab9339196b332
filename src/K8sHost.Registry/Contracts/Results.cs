using System.Text.Json.Nodes;

namespace K8sHost.Registry.Contracts;

/// <summary>
/// One immutable version of a stored object as the server serves it: the UTF-8 JSON (with kind, apiVersion and
/// metadata.resourceVersion filled in) is produced once per version and reused by every GET, LIST and watch event.
/// </summary>
public sealed class ObjectVersion
{
    public ObjectVersion(string key, string? ns, string name, long revision, byte[] json, IReadOnlyDictionary<string, string> labels,
        IReadOnlyDictionary<string, string> fields)
    {
        Key = key; Namespace = ns; Name = name; Revision = revision; Json = json; Labels = labels; Fields = fields;
    }

    /// <summary>The storage key (tenant-qualified).</summary>
    public string Key { get; }
    public string? Namespace { get; }
    public string Name { get; }
    /// <summary>The store's ModRevision = metadata.resourceVersion.</summary>
    public long Revision { get; }
    /// <summary>The object as served. Never mutate.</summary>
    public byte[] Json { get; }
    public IReadOnlyDictionary<string, string> Labels { get; }
    /// <summary>Selectable field values, metadata.name and metadata.namespace included.</summary>
    public IReadOnlyDictionary<string, string> Fields { get; }

    /// <summary>
    /// A fresh mutable copy of the object, parsed from <see cref="Json"/>. Deliberately not cached: a parsed DOM costs
    /// several times the JSON's size, and keeping one on every version a Table list or an update touched made memory
    /// grow with the number of objects ever listed.
    /// </summary>
    public JsonObject ToJsonObject() => JsonNode.Parse(Json)!.AsObject();
}

/// <summary>Result of a write: the object as stored (or as it would be, on dry run) and whether it was created.</summary>
public sealed record WriteResult(ObjectVersion Object, bool Created, IReadOnlyList<string> Warnings);

/// <summary>
/// Result of a delete. Either the object was removed (Object holds its last version; apiserver returns it with 200)
/// or it was kept with deletionTimestamp set (finalizers, namespaces: 200 with the updated object, or 202 for graceful).
/// </summary>
public sealed record DeleteResult(ObjectVersion Object, bool Removed);

/// <summary>A page of a list at one store revision. Items are streamed by the writer from their cached bytes.</summary>
public sealed record ListResult(IReadOnlyList<ObjectVersion> Items, long Revision, string? Continue, long? RemainingItemCount);

public enum WatchEventType { Added, Modified, Deleted, Bookmark, Error }

/// <summary>
/// One watch event for one watcher. Object is the version to send (for Deleted: the last version, with the delete's
/// revision). Bookmark events carry only a revision. Error events carry a Status in <see cref="Error"/>.
/// </summary>
public sealed record WatchEvent(WatchEventType Type, ObjectVersion? Object, long Revision, JsonObject? Error = null,
    bool InitialEventsEnd = false);

/// <summary>
/// A running watch. Read <see cref="Events"/> until it completes (timeout, server shutdown, the client too slow,
/// or an Error event). Dispose to stop.
/// </summary>
public interface IWatchSubscription : IAsyncDisposable
{
    System.Threading.Channels.ChannelReader<WatchEvent> Events { get; }

    /// <summary>
    /// Fires when the server gave up on this watcher because it fell behind (its buffer filled). What is still queued
    /// must not be delivered: the connection is to be closed at once, so the client re-lists or resumes from the last
    /// revision it saw instead of holding megabytes of stale events in a stream it does not read.
    /// </summary>
    CancellationToken Dropped => CancellationToken.None;
}
