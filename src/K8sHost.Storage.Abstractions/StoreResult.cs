namespace K8sHost.Storage;

public enum StoreStatus
{
    Ok,
    NotFound,
    KeyExists,
    Conflict,
    Compacted,
}

/// <summary>An expected outcome of a store call. <see cref="Current"/> carries the live value on Conflict/KeyExists/delete.</summary>
public readonly record struct StoreResult<T>(StoreStatus Status, T? Value, KeyValue? Current = null)
{
    public bool IsOk => Status == StoreStatus.Ok;

    public static StoreResult<T> Ok(T value, KeyValue? current = null) => new(StoreStatus.Ok, value, current);

    public static StoreResult<T> Fail(StoreStatus status, KeyValue? current = null) => new(status, default, current);
}
