namespace K8sHost.Storage.Sqlite;

/// <summary>
/// Opens <c>sqlite:///abs/path.db</c> (absolute), <c>sqlite://dir/file.db</c> (relative to the data directory)
/// or plain <c>sqlite://</c> (= &lt;DataDir&gt;/state.db).
/// </summary>
public sealed class SqliteStoreDriver : IStoreDriver
{
    public const string DefaultFileName = "state.db";

    public string Scheme => "sqlite";

    public async Task<IResourceStore> OpenAsync(string url, StoreOptions options, CancellationToken ct = default)
    {
        var settings = new SqliteStoreSettings
        {
            Path = ResolvePath(url, options.DataDir),
            CompactionWindow = options.CompactionWindow,
        };
        return await SqliteStore.OpenAsync(settings, ct).ConfigureAwait(false);
    }

    /// <summary>Maps the URL to a full file path; public so the server can log where state lives.</summary>
    public static string ResolvePath(string url, string dataDir)
    {
        if (!StoreUrl.TryParse(url, out var parsed) || parsed.Scheme != "sqlite")
        {
            throw new StoreUnavailableException($"sqlite: '{url}' is not a sqlite:// URL");
        }

        var path = Uri.UnescapeDataString(parsed.Rest.Split('?', 2)[0]);
        if (path.Length == 0)
        {
            return System.IO.Path.GetFullPath(System.IO.Path.Combine(dataDir, DefaultFileName));
        }

        return System.IO.Path.GetFullPath(System.IO.Path.IsPathRooted(path) ? path : System.IO.Path.Combine(dataDir, path));
    }
}
