using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace K8sHost.Storage.Sqlite;

/// <summary>
/// The single writer. Callers enqueue operations; one loop drains whatever is queued into one IMMEDIATE transaction
/// and one fsync (group commit), then releases each caller with its own result. While a batch is committing the
/// next one accumulates, so throughput grows with concurrency instead of every caller paying for its own fsync.
/// One writer connection also means writers never fight each other for SQLite's lock ("database is locked").
/// </summary>
internal sealed class GroupCommitWriter : IAsyncDisposable
{
    private readonly SqliteConnection _connection;
    private readonly WriteContext _context;
    private readonly ChangeSignal _signal;
    private readonly int _maxBatch;
    private readonly Channel<WriteOp> _queue = Channel.CreateUnbounded<WriteOp>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;
    private long _committedTransactions;

    public GroupCommitWriter(SqliteConnection connection, ChangeSignal signal, int maxBatch)
    {
        _connection = connection;
        _context = new WriteContext(connection);
        _signal = signal;
        _maxBatch = Math.Max(1, maxBatch);
        _loop = Task.Run(RunAsync);
    }

    /// <summary>How many write transactions have committed; with group commit this grows slower than the write count.</summary>
    public long CommittedTransactions => Interlocked.Read(ref _committedTransactions);

    /// <summary>Queues <paramref name="op"/> and waits for its committed outcome.</summary>
    public async Task<T> SubmitAsync<T>(WriteOp<T> op, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (!_queue.Writer.TryWrite(op))
        {
            throw SqliteErrors.Closed();
        }

        // Cancelling stops the wait, not the write: once queued it commits or fails as a whole, like any remote store.
        return await op.Task.WaitAsync(ct).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        _context.Dispose();
        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var batch = new List<WriteOp>(_maxBatch);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var op))
            {
                batch.Add(op);
            }

            if (!TryCommit(batch, out var error))
            {
                // One bad operation must not fail its neighbours: replay each alone so only the culprit fails.
                if (batch.Count == 1)
                {
                    batch[0].Fail(error!);
                    continue;
                }

                foreach (var op in batch)
                {
                    if (!TryCommit([op], out var single))
                    {
                        op.Fail(single!);
                    }
                }
            }
        }
    }

    private bool TryCommit(List<WriteOp> batch, out Exception? error)
    {
        try
        {
            SqliteSchema.Execute(_connection, "BEGIN IMMEDIATE;");
            _context.BeginBatch();
            foreach (var op in batch)
            {
                op.Apply(_context);
            }

            SqliteSchema.Execute(_connection, "COMMIT;");
        }
        catch (Exception ex)
        {
            TryRollback();
            error = SqliteErrors.Unavailable(ex);
            return false;
        }

        error = null;
        Interlocked.Increment(ref _committedTransactions);
        foreach (var op in batch)
        {
            op.Complete();
        }

        _signal.Notify();
        return true;
    }

    private void TryRollback()
    {
        try
        {
            SqliteSchema.Execute(_connection, "ROLLBACK;");
        }
        catch (SqliteException)
        {
            // No transaction was open (BEGIN itself failed) or SQLite already rolled it back.
        }
    }
}
