using K8sHost.Server.Options;
using K8sHost.Storage;

namespace K8sHost.Server.Hosting;

/// <summary>
/// Picks the storage backend from one setting, by URL scheme as kine does. --etcd-servers (kube-apiserver's flag) and
/// Server:FlareDbPdAddress (fed by FLAREDB_PD_ADDR, the variable of the system this replaces) are accepted as alternatives.
/// </summary>
public static class StoreFactory
{
    public static string ResolveUrl(ServerOptions o)
    {
        var pd = o.FlareDbPdAddress?.Trim();
        if (!string.IsNullOrWhiteSpace(o.Storage))
        {
            var url = o.Storage.Trim();
            // flaredb:// without a host takes the PD address from the setting, as it took it from FLAREDB_PD_ADDR.
            return url == "flaredb://" && !string.IsNullOrEmpty(pd) ? url + pd : url;
        }
        if (!string.IsNullOrWhiteSpace(o.EtcdServers)) return "etcd://" + o.EtcdServers.Trim();
        if (!string.IsNullOrEmpty(pd)) return "flaredb://" + pd;
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
