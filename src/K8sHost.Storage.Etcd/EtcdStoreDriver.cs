namespace K8sHost.Storage.Etcd;

/// <summary>
/// Opens <c>etcd://host1:2379,host2:2379</c>: a comma-separated list of members, spoken to over plaintext
/// HTTP/2 gRPC. Every listed member is a failover target.
/// </summary>
public sealed class EtcdStoreDriver : IStoreDriver
{
    public string Scheme => "etcd";

    public async Task<IResourceStore> OpenAsync(string url, StoreOptions options, CancellationToken ct = default)
    {
        var store = new EtcdStore(ParseEndpoints(url), options);
        try
        {
            try
            {
                await store.GetCurrentRevisionAsync(ct);
            }
            catch (StoreOutcomeUnknownException e)
            {
                // The probe is a read: an unanswered one only means etcd is not usable (the driver's contract).
                throw new StoreUnavailableException($"etcd unavailable: {e.Message}", e);
            }

            return store;
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    /// <summary>"etcd://h1:2379,h2:2379[/]" → http://h1:2379, http://h2:2379. A member without a port gets etcd's 2379.</summary>
    public static IReadOnlyList<Uri> ParseEndpoints(string url)
    {
        if (!StoreUrl.TryParse(url, out var parsed) || parsed.Scheme != "etcd")
        {
            throw new StoreUnavailableException($"etcd: store URL '{url}' must look like etcd://host:2379[,host2:2379]");
        }

        var hosts = parsed.Endpoints;
        if (hosts.Count == 0)
        {
            throw new StoreUnavailableException($"etcd: store URL '{url}' names no endpoint");
        }

        return [.. hosts.Select(host => ToEndpoint(url, host))];
    }

    private static Uri ToEndpoint(string url, string host)
    {
        var withPort = host.Contains(':') && !host.EndsWith(']') ? host : host + ":2379";
        if (!Uri.TryCreate("http://" + withPort, UriKind.Absolute, out var endpoint) || endpoint.AbsolutePath != "/")
        {
            throw new StoreUnavailableException($"etcd: bad endpoint '{host}' in store URL '{url}'");
        }

        return endpoint;
    }
}
