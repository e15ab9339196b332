namespace K8sHost.Storage.Sqlite;

/// <summary>
/// One queued write. <see cref="Apply"/> runs inside the writer's batch transaction and only records its outcome;
/// the caller is released by <see cref="Complete"/> after COMMIT, so an acknowledged write is always durable.
/// </summary>
internal abstract class WriteOp
{
    public abstract void Apply(WriteContext context);

    public abstract void Complete();

    public abstract void Fail(Exception error);
}

/// <summary>A write whose caller waits for a typed result.</summary>
internal abstract class WriteOp<T> : WriteOp
{
    private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? _outcome;

    public Task<T> Task => _done.Task;

    public sealed override void Apply(WriteContext context) => _outcome = Run(context);

    public sealed override void Complete() => _done.TrySetResult(_outcome!);

    public sealed override void Fail(Exception error) => _done.TrySetException(error);

    protected abstract T Run(WriteContext context);
}

internal sealed class CreateOp(string key, byte[] value) : WriteOp<StoreResult<long>>
{
    protected override StoreResult<long> Run(WriteContext context)
    {
        var keyBytes = WriteContext.KeyBytes(key);
        var latest = context.Latest(keyBytes);
        if (latest is { Deleted: false } live)
        {
            return StoreResult<long>.Fail(StoreStatus.KeyExists, context.Current(key, live));
        }

        return StoreResult<long>.Ok(context.Append(keyBytes, value, createRevision: 0, latest?.Revision ?? 0, deleted: false));
    }
}

internal sealed class UpdateOp(string key, byte[] value, long expectedModRevision) : WriteOp<StoreResult<long>>
{
    protected override StoreResult<long> Run(WriteContext context)
    {
        var keyBytes = WriteContext.KeyBytes(key);
        if (context.Latest(keyBytes) is not { Deleted: false } live)
        {
            return StoreResult<long>.Fail(StoreStatus.NotFound);
        }

        if (live.Revision != expectedModRevision)
        {
            return StoreResult<long>.Fail(StoreStatus.Conflict, context.Current(key, live));
        }

        return StoreResult<long>.Ok(context.Append(keyBytes, value, live.CreateRevision, live.Revision, deleted: false));
    }
}

internal sealed class DeleteOp(string key, long expectedModRevision) : WriteOp<StoreResult<long>>
{
    protected override StoreResult<long> Run(WriteContext context)
    {
        var keyBytes = WriteContext.KeyBytes(key);
        if (context.Latest(keyBytes) is not { Deleted: false } live)
        {
            return StoreResult<long>.Fail(StoreStatus.NotFound);
        }

        var current = context.Current(key, live);
        if (expectedModRevision != 0 && live.Revision != expectedModRevision)
        {
            return StoreResult<long>.Fail(StoreStatus.Conflict, current);
        }

        // Tombstones carry no value: the watch contract says Delete events are empty.
        var revision = context.Append(keyBytes, [], live.CreateRevision, live.Revision, deleted: true);
        return StoreResult<long>.Ok(revision, current);
    }
}
