using System.Text.Json.Serialization;

namespace K8sHost.Storage.Sqlite;

/// <summary>
/// What a snapshot file says about itself (its header): the store revision it holds, when it was taken, and the
/// length and SHA-256 of the database image that follows, so a truncated or damaged file is caught before restore.
/// </summary>
public sealed record SnapshotInfo(
    [property: JsonPropertyName("revision")] long Revision,
    [property: JsonPropertyName("compactRevision")] long CompactRevision,
    [property: JsonPropertyName("keys")] long Keys,
    [property: JsonPropertyName("createdAt")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("sha256")] string Sha256);

/// <summary>A snapshot file that cannot be used; the message says why in one line.</summary>
public sealed class SnapshotException(string message) : Exception(message);
