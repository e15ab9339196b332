using Microsoft.Data.Sqlite;

namespace K8sHost.Storage.Sqlite;

/// <summary>
/// The embedded default store: one SQLite file in WAL mode holding an MVCC change log (see <see cref="SqliteSchema"/>).
/// Writes go through one group-commit writer; reads and watches use pooled connections and WAL snapshots, so they
/// never block writers and always see a consistent revision.
/// </summary>
public sealed class SqliteStore : IResourceStore
{
    private readonly SqliteStoreSettings _settings;
    private readonly string _readerConnectionString;
    private readonly ChangeSignal _signal = new();
    private readonly CancellationTokenSource _closed = new();
    private readonly GroupCommitWriter _writer;
    private readonly WatchFeed _watch;
    private BackgroundCompactor? _compactor;
    private int _disposed;

    private SqliteStore(SqliteStoreSettings settings, SqliteConnection writerConnection)
    {
        _settings = settings;
        _readerConnectionString = SqliteSchema.ReaderConnectionString(settings.Path, settings.BusyTimeout);
        _writer = new GroupCommitWriter(writerConnection, _signal, settings.MaxBatchOperations);
        _watch = new WatchFeed(_readerConnectionString, _signal, settings, _closed.Token);
    }

    public string Name => "sqlite";

    /// <summary>The database file this store writes.</summary>
    public string Path => _settings.Path;

    /// <summary>Write transactions committed by this instance (for metrics: writes per fsync).</summary>
    public long CommittedTransactions => _writer.CommittedTransactions;

    /// <summary>Opens (creating if needed) the database; throws <see cref="StoreUnavailableException"/> if it cannot.</summary>
    public static Task<SqliteStore> OpenAsync(SqliteStoreSettings settings, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        SqliteConnection? connection = null;
        try
        {
            var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(settings.Path));
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            connection = SqliteSchema.OpenWriter(settings.Path, settings.BusyTimeout);
        }
        catch (Exception ex) when (SqliteErrors.IsStoreFailure(ex))
        {
            connection?.Dispose();
            throw new StoreUnavailableException($"sqlite: cannot open {settings.Path}: {SqliteErrors.Unavailable(ex).Message}", ex);
        }

        var store = new SqliteStore(settings, connection);
        if (settings.RunBackgroundCompactor)
        {
            store._compactor = new BackgroundCompactor(store, settings);
        }

        return Task.FromResult(store);
    }

    public Task<long> GetCurrentRevisionAsync(CancellationToken ct = default) =>
        ReadAsync(connection => LogReads.CurrentRevision(connection), ct);

    public Task<long> GetCompactedRevisionAsync(CancellationToken ct = default) =>
        ReadAsync(connection => LogReads.Meta(connection, null, SqliteSchema.CompactRevision), ct);

    public Task<StoreResult<KeyValue>> GetAsync(string key, CancellationToken ct = default) =>
        ReadAsync(connection => LogReads.Get(connection, key) is { } found
            ? StoreResult<KeyValue>.Ok(found)
            : StoreResult<KeyValue>.Fail(StoreStatus.NotFound), ct);

    public Task<StoreResult<long>> CreateAsync(string key, ReadOnlyMemory<byte> value, CancellationToken ct = default) =>
        _writer.SubmitAsync(new CreateOp(key, value.ToArray()), ct);

    public Task<StoreResult<long>> UpdateAsync(string key, ReadOnlyMemory<byte> value, long expectedModRevision, CancellationToken ct = default) =>
        _writer.SubmitAsync(new UpdateOp(key, value.ToArray(), expectedModRevision), ct);

    public Task<StoreResult<long>> DeleteAsync(string key, long expectedModRevision, CancellationToken ct = default) =>
        _writer.SubmitAsync(new DeleteOp(key, expectedModRevision), ct);

    public Task<StoreResult<RangeResult>> ListAsync(string prefix, string? startAfter, int limit, long revision = 0, CancellationToken ct = default) =>
        ReadAsync(connection =>
        {
            // One deferred transaction = one WAL snapshot: the revision and the rows agree even while writers commit.
            using var tx = connection.BeginTransaction(deferred: true);
            var compacted = LogReads.Meta(connection, tx, SqliteSchema.CompactRevision);
            var current = LogReads.CurrentRevision(connection, tx);
            if (revision != 0 && revision < compacted)
            {
                return StoreResult<RangeResult>.Fail(StoreStatus.Compacted);
            }

            // A revision from the future is served at the newest one; the registry decides whether that is acceptable.
            var at = revision == 0 ? current : Math.Min(revision, current);
            var (items, more) = RangeQuery.Read(connection, tx, prefix, startAfter, limit, at);
            tx.Commit();
            return StoreResult<RangeResult>.Ok(new RangeResult(items, at, more));
        }, ct);

    public IAsyncEnumerable<StoreEvent> WatchAsync(string prefix, long afterRevision, CancellationToken ct = default) =>
        _watch.RunAsync(prefix, afterRevision, ct);

    public async Task CompactAsync(long revision, CancellationToken ct = default)
    {
        await _writer.SubmitAsync(new MarkCompactionOp(revision), ct).ConfigureAwait(false);
        // Small steps, each its own transaction queued behind other writes, so compaction never stalls writers.
        while (await _writer.SubmitAsync(new CompactStepOp(_settings.CompactionBatchRevisions), ct).ConfigureAwait(false))
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _closed.CancelAsync().ConfigureAwait(false);
        if (_compactor is not null)
        {
            await _compactor.DisposeAsync().ConfigureAwait(false);
        }

        await _writer.DisposeAsync().ConfigureAwait(false);
        // Pooled reader handles keep the file open; release them so the files can be moved or deleted.
        using var connection = new SqliteConnection(_readerConnectionString);
        SqliteConnection.ClearPool(connection);
    }

    private Task<T> ReadAsync<T>(Func<SqliteConnection, T> read, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (Volatile.Read(ref _disposed) != 0)
        {
            throw SqliteErrors.Closed();
        }

        try
        {
            using var connection = new SqliteConnection(_readerConnectionString);
            connection.Open();
            return Task.FromResult(read(connection));
        }
        catch (Exception ex) when (SqliteErrors.IsStoreFailure(ex))
        {
            throw SqliteErrors.Unavailable(ex);
        }
    }
}
