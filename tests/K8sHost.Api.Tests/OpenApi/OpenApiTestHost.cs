using System.Net;
using K8sHost.Api.Discovery;
using K8sHost.Api.OpenApi;
using K8sHost.Registry.Catalog;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace K8sHost.Api.Tests.OpenApi;

/// <summary>
/// A real Kestrel on 127.0.0.1 (free port, plain HTTP) serving the catalog's discovery and the OpenAPI endpoints,
/// wired the way the server wires them: services.AddK8sOpenApi() and app.MapK8sOpenApi().
/// </summary>
public sealed class OpenApiTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OpenApiTestHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri Address { get; }
    public HttpClient Client { get; }
    public IServiceProvider Services => _app.Services;

    public static async Task<OpenApiTestHost> StartAsync(ResourceCatalog catalog)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSingleton(catalog);
        builder.Services.AddSingleton<DiscoveryDocuments>();
        builder.Services.AddK8sOpenApi();
        var app = builder.Build();
        DiscoveryEndpoints.Map(app, next => next);
        app.MapK8sOpenApi();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await app.StartAsync(cts.Token);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new OpenApiTestHost(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(cts.Token);
        await _app.DisposeAsync();
    }
}
