using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace K8sHost.Bench;

/// <summary>
/// HttpClients for load generation: SocketsHttpHandler with one keep-alive connection per concurrent worker
/// (MaxConnectionsPerServer), HTTP/1.1, verifying the server against the given CA only.
/// </summary>
public static class BenchHttp
{
    public static HttpClient Create(Uri baseAddress, X509Certificate2 ca, int connections, string? bearerToken, TimeSpan? timeout = null)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = Math.Max(1, connections),
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ConnectTimeout = TimeSpan.FromSeconds(30),
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, cert, _, _) => cert is X509Certificate2 c && TrustedBy(c, ca),
            },
        };
        var client = new HttpClient(handler)
        {
            BaseAddress = baseAddress,
            Timeout = timeout ?? TimeSpan.FromSeconds(60),
            DefaultRequestVersion = HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        if (bearerToken is not null) client.DefaultRequestHeaders.Authorization = new("Bearer", bearerToken);
        return client;
    }

    private static bool TrustedBy(X509Certificate2 cert, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(cert);
    }

    /// <summary>Reads the body and reports a non-success status as a one-line error.</summary>
    public static async Task<string?> CheckAsync(HttpResponseMessage response, CancellationToken ct)
    {
        using (response)
        {
            var body = await response.Content.ReadAsByteArrayAsync(ct);
            if (response.IsSuccessStatusCode) return null;
            var text = System.Text.Encoding.UTF8.GetString(body);
            return $"{(int)response.StatusCode}: {(text.Length > 200 ? text[..200] : text)}";
        }
    }
}
