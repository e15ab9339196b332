namespace K8sHost.Storage.FlareDb;

/// <summary>
/// Opens FlareDB from <c>flaredb://pd-host:2379</c> or <c>flaredb://pd1:2379,pd2:2379</c> (port defaults to 2379).
/// The server turns FLAREDB_PD_ADDR into a URL through its configuration; the driver reads no environment itself.
/// </summary>
public sealed class FlareDbStoreDriver : IStoreDriver
{
    public const string PdAddressVariable = "FLAREDB_PD_ADDR";
    public const int DefaultPdPort = 2379;

    public string Scheme => "flaredb";

    public async Task<IResourceStore> OpenAsync(string url, StoreOptions options, CancellationToken ct = default)
    {
        var endpoints = PdEndpoints(url, null);
        if (endpoints.Count == 0)
        {
            throw new StoreUnavailableException($"flaredb: no PD address (use flaredb://host:{DefaultPdPort} or set {PdAddressVariable})");
        }

        try
        {
            return await FlareDbStore.OpenAsync(endpoints, options, FlareDbSettings.For(options), ct);
        }
        catch (StoreUnavailableException e)
        {
            throw new StoreUnavailableException($"flaredb: cannot reach PD at {string.Join(",", endpoints)}: {e.Message}", e);
        }
    }

    /// <summary>PD endpoints (host:port) from the URL; when it names none, from <paramref name="environmentValue"/>.</summary>
    public static IReadOnlyList<string> PdEndpoints(string? url, string? environmentValue)
    {
        var fromUrl = StoreUrl.TryParse(url, out var parsed) ? parsed.Endpoints : [];
        var source = fromUrl.Count > 0 ? fromUrl : new StoreUrl("flaredb", environmentValue ?? "").Endpoints;
        return source.Select(WithDefaultPort).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    private static string WithDefaultPort(string endpoint)
    {
        // "[::1]:2379" and "host:2379" carry a port; "host" and "[::1]" do not.
        var lastColon = endpoint.LastIndexOf(':');
        var hasPort = lastColon > endpoint.LastIndexOf(']') && lastColon > 0;
        return hasPort ? endpoint : $"{endpoint}:{DefaultPdPort}";
    }
}
