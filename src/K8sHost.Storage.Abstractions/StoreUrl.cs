namespace K8sHost.Storage;

/// <summary>Splits a store URL "scheme://rest" (rest may hold several comma-separated host:port endpoints).</summary>
public readonly record struct StoreUrl(string Scheme, string Rest)
{
    public static bool TryParse(string? url, out StoreUrl parsed)
    {
        parsed = default;
        if (string.IsNullOrWhiteSpace(url)) return false;
        var i = url.IndexOf("://", StringComparison.Ordinal);
        if (i <= 0) return false;
        parsed = new StoreUrl(url[..i].ToLowerInvariant(), url[(i + 3)..]);
        return true;
    }

    /// <summary>"h1:2379,h2:2379" → ["h1:2379","h2:2379"]; an "http://" prefix on an endpoint is dropped.</summary>
    public IReadOnlyList<string> Endpoints =>
        Rest.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(e => e.Replace("http://", "", StringComparison.OrdinalIgnoreCase).Replace("https://", "", StringComparison.OrdinalIgnoreCase).TrimEnd('/'))
            .ToList();
}
