namespace K8sHost.Storage.Sqlite;

/// <summary>
/// Wakes watchers the moment a local transaction commits. Watchers take <see cref="Current"/> BEFORE reading
/// the log, so a commit that lands between their read and their wait still wakes them.
/// </summary>
internal sealed class ChangeSignal
{
    private TaskCompletionSource _tcs = NewSource();

    public Task Current => Volatile.Read(ref _tcs).Task;

    public void Notify() => Interlocked.Exchange(ref _tcs, NewSource()).TrySetResult();

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
