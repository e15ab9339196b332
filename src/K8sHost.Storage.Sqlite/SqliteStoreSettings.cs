namespace K8sHost.Storage.Sqlite;

/// <summary>Everything one <see cref="SqliteStore"/> needs; the driver fills it from the URL and <see cref="StoreOptions"/>.</summary>
public sealed record SqliteStoreSettings
{
    /// <summary>Absolute or relative path of the database file; the -wal/-shm files live next to it.</summary>
    public required string Path { get; init; }

    /// <summary>History older than this is removed by the background compactor.</summary>
    public TimeSpan CompactionWindow { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the background compactor wakes up.</summary>
    public TimeSpan CompactionInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Off for tests that want to drive compaction by hand.</summary>
    public bool RunBackgroundCompactor { get; init; } = true;

    /// <summary>Revisions examined per compaction transaction, small so writers never wait long behind it.</summary>
    public int CompactionBatchRevisions { get; init; } = 1000;

    /// <summary>Watchers re-read the log at least this often, so writes from other processes are seen.</summary>
    public TimeSpan WatchPollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>An idle watch emits a Progress event this often.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Most operations one group-commit transaction carries.</summary>
    public int MaxBatchOperations { get; init; } = 512;

    /// <summary>How long a connection waits on another process's lock before the store reports itself unavailable.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
