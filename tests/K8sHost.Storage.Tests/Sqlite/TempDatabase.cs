using K8sHost.Storage.Sqlite;

namespace K8sHost.Storage.Tests.Sqlite;

/// <summary>A fresh directory for one test's database files, deleted afterwards.</summary>
public sealed class TempDatabase : IDisposable
{
    public TempDatabase()
    {
        Directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "k8shost-sqlite-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public string Path => System.IO.Path.Combine(Directory, "state.db");

    /// <summary>Settings for tests: no background compactor unless asked, fast progress so watches stay short.</summary>
    public SqliteStoreSettings Settings(string? path = null) => new()
    {
        Path = path ?? Path,
        RunBackgroundCompactor = false,
        ProgressInterval = TimeSpan.FromMilliseconds(500),
        WatchPollInterval = TimeSpan.FromMilliseconds(200),
    };

    public Task<SqliteStore> OpenAsync(SqliteStoreSettings? settings = null) => SqliteStore.OpenAsync(settings ?? Settings());

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leaked handle on a temp file must not fail the test that already passed.
        }
    }
}
