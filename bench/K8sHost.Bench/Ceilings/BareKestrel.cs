using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace K8sHost.Bench.Ceilings;

/// <summary>
/// The ceiling for HTTP work: Kestrel in the bench process with the server's TLS settings (HTTP/1.1+2, ECDSA P-256)
/// and nothing else — GET returns pre-serialized pod bytes, /watch streams whatever <see cref="Hub"/> publishes, one
/// flushed chunk per event, exactly like the API's watch writer does.
/// </summary>
public sealed class BareKestrel : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BareKestrel(WebApplication app, Uri address, FanOutHub hub)
    {
        _app = app;
        Address = address;
        Hub = hub;
    }

    public Uri Address { get; }
    public FanOutHub Hub { get; }

    public static async Task<BareKestrel> StartAsync(TestCertificates certs, byte[] podBytes, int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxConcurrentConnections = null;
            k.Listen(IPAddress.Loopback, port, l =>
            {
                l.Protocols = HttpProtocols.Http1AndHttp2;
                l.UseHttps(certs.Serving);
            });
        });
        var app = builder.Build();
        var hub = new FanOutHub();
        app.MapGet("/pod", (HttpContext http) =>
        {
            http.Response.ContentType = "application/json";
            http.Response.ContentLength = podBytes.Length;
            return http.Response.Body.WriteAsync(podBytes).AsTask();
        });
        // The fan-out ceiling's write path: the client POSTs one event line (stamped at send time, like the server
        // phase's PUT) and every subscriber gets it. No storage, no cache, no Kubernetes logic.
        app.MapPost("/publish", async (HttpContext http) =>
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
            hub.Publish(buffer.ToArray());
            http.Response.StatusCode = StatusCodes.Status204NoContent;
        });
        app.MapGet("/watch", async (HttpContext http) =>
        {
            var (id, reader) = hub.Subscribe();
            try
            {
                http.Response.ContentType = "application/json";
                await http.Response.StartAsync(http.RequestAborted);
                await http.Response.Body.FlushAsync(http.RequestAborted);
                while (await reader.WaitToReadAsync(http.RequestAborted))
                {
                    while (reader.TryRead(out var line)) await http.Response.Body.WriteAsync(line, http.RequestAborted);
                    await http.Response.Body.FlushAsync(http.RequestAborted);
                }
            }
            catch (OperationCanceledException) { }
            catch (IOException) { }
            finally
            {
                hub.Unsubscribe(id);
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new BareKestrel(app, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)), hub);
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try { await _app.StopAsync(cts.Token); } catch (OperationCanceledException) { }
        await _app.DisposeAsync();
    }
}
