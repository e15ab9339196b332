using K8sHost.Server.Options;
using K8sHost.Storage;

namespace K8sHost.Server.Hosting;

/// <summary>
/// Picks the storage backend from one setting, by URL scheme as kine does. --etcd-servers (kube-apiserver's flag) and
/// FLAREDB_PD_ADDR (the variable of the system this replaces) are accepted as alternatives.
/// </summary>
public static class StoreFactory
{
    public static string ResolveUrl(ServerOptions o)
    {
        if (!string.IsNullOrWhiteSpace(o.Storage)) return o.Storage.Trim();
        if (!string.IsNullOrWhiteSpace(o.EtcdServers)) return "etcd://" + o.EtcdServers.Trim();
        var pd = Environment.GetEnvironmentVariable("FLAREDB_PD_ADDR");
        if (!string.IsNullOrWhiteSpace(pd)) return "flaredb://" + pd.Trim();
        return "sqlite://";
    }

    public static async Task<IResourceStore> OpenAsync(string url, IEnumerable<IStoreDriver> drivers, StoreOptions options, CancellationToken ct)
    {
        if (!StoreUrl.TryParse(url, out var parsed))
            throw new StoreUnavailableException($"invalid --storage '{url}': expected sqlite://PATH, etcd://HOST:PORT[,HOST:PORT…] or flaredb://PD_HOST:PORT");
        var driver = drivers.FirstOrDefault(d => d.Scheme == parsed.Scheme)
            ?? throw new StoreUnavailableException($"invalid --storage '{url}': unknown scheme '{parsed.Scheme}' (use sqlite, etcd or flaredb)");
        try
        {
            return await driver.OpenAsync(url, options, ct);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            // A driver that trips over the URL's syntax (e.g. Uri's "Invalid port specified") must still name the flag.
            throw new StoreUnavailableException($"invalid --storage '{url}': {e.Message}");
        }
    }
}
