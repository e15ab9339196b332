namespace K8sHost.Storage.Sqlite;

/// <summary>
/// Keeps the log bounded: every interval it notes (time, current revision) and compacts up to the newest revision
/// that is older than the compaction window. Failures are retried on the next tick; the store keeps serving.
/// </summary>
internal sealed class BackgroundCompactor : IAsyncDisposable
{
    private readonly SqliteStore _store;
    private readonly SqliteStoreSettings _settings;
    private readonly CancellationTokenSource _stop = new();
    private readonly Queue<(DateTime At, long Revision)> _samples = new();
    private readonly Task _loop;

    public BackgroundCompactor(SqliteStore store, SqliteStoreSettings settings)
    {
        _store = store;
        _settings = settings;
        _loop = Task.Run(RunAsync);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        var ct = _stop.Token;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await TickAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception)
            {
                // The store is failing or closing; the next tick tries again. The compactor itself must never die,
                // or the file would grow without bound.
            }

            try
            {
                await Task.Delay(_settings.CompactionInterval, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task TickAsync(CancellationToken ct)
    {
        var now = DateTime.UtcNow;
        _samples.Enqueue((now, await _store.GetCurrentRevisionAsync(ct).ConfigureAwait(false)));
        long target = 0;
        while (_samples.Count > 0 && now - _samples.Peek().At >= _settings.CompactionWindow)
        {
            target = _samples.Dequeue().Revision;
        }

        // Also finishes a compaction a crash interrupted: the step op resumes from the recorded progress.
        await _store.CompactAsync(target, ct).ConfigureAwait(false);
    }
}
