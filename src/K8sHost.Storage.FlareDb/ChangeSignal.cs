namespace K8sHost.Storage.FlareDb;

/// <summary>
/// Wakes local watchers as soon as this process commits a write, so they need not wait for the next poll.
/// Watchers take <see cref="Current"/> before reading the log; a commit in between still wakes them.
/// Writes from other API server replicas are found by polling.
/// </summary>
internal sealed class ChangeSignal
{
    private TaskCompletionSource _source = NewSource();

    public Task Current => Volatile.Read(ref _source).Task;

    public void Notify() => Interlocked.Exchange(ref _source, NewSource()).TrySetResult();

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
