namespace K8sHost.Storage;

/// <summary>
/// Opens a store from a URL, as kine does: sqlite://path, etcd://h1:2379,h2:2379, flaredb://pd:2379.
/// Each backend assembly contributes one driver; the server picks it by <see cref="Scheme"/>.
/// </summary>
public interface IStoreDriver
{
    string Scheme { get; }

    /// <summary>
    /// Opens and checks the store. <paramref name="url"/> is the whole setting as the user wrote it
    /// ("etcd://h1:2379,h2:2379" is not a valid System.Uri, hence a string; use <see cref="StoreUrl"/> to split it).
    /// Throws <see cref="StoreUnavailableException"/> with a one-line reason on failure.
    /// </summary>
    Task<IResourceStore> OpenAsync(string url, StoreOptions options, CancellationToken ct = default);
}

/// <summary>Settings shared by every backend; the server binds them from configuration and validates them at start.</summary>
public sealed record StoreOptions
{
    /// <summary>Where embedded engines keep their files.</summary>
    public string DataDir { get; init; } = "./data";

    /// <summary>History older than this is compacted.</summary>
    public TimeSpan CompactionWindow { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How many keys one scan RPC fetches (distributed engines).</summary>
    [System.ComponentModel.DataAnnotations.Range(1, int.MaxValue)]
    public int ScanBatchSize { get; init; } = 1000;

    /// <summary>Per-call timeout for remote engines.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
