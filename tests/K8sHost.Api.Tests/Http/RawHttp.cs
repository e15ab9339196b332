using System.Net.Sockets;
using System.Text;

namespace K8sHost.Api.Tests.Http;

/// <summary>
/// A bare HTTP/1.1 GET over a socket: HttpClient normalises Content-Type parameters ("a;b" → "a; b"), but client-go
/// compares the discovery Content-Type literally, so the exact bytes must be checked.
/// </summary>
public static class RawHttp
{
    public static async Task<string> ContentTypeAsync(Uri baseAddress, string path, string accept)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(baseAddress.Host, baseAddress.Port, cts.Token);
        await using var stream = tcp.GetStream();
        var request = $"GET {path} HTTP/1.1\r\nHost: {baseAddress.Authority}\r\nAccept: {accept}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), cts.Token);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (await reader.ReadLineAsync(cts.Token) is { } line && line.Length > 0)
            if (line.StartsWith("Content-Type:", StringComparison.OrdinalIgnoreCase)) return line["Content-Type:".Length..].Trim();
        throw new InvalidOperationException("no Content-Type header");
    }
}
