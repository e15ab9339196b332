namespace K8sHost.Storage;

/// <summary>One stored value. ModRevision becomes the object's resourceVersion.</summary>
public sealed record KeyValue(string Key, byte[] Value, long CreateRevision, long ModRevision);

/// <summary>A page of a range read, consistent at <see cref="Revision"/>.</summary>
public sealed record RangeResult(IReadOnlyList<KeyValue> Items, long Revision, bool More);
