using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using K8sHost.Api;
using K8sHost.Registry;
using K8sHost.Registry.Catalog;
using K8sHost.Resources;
using K8sHost.Storage;
using K8sHost.Storage.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace K8sHost.Api.Tests.Http;

/// <summary>
/// One real server for all HTTP tests: Kestrel on 127.0.0.1 (free port), a real SQLite file in a temp dir, the real
/// catalog and generic registry, and AddK8sApi/MapK8sApi exactly as the server calls them.
/// </summary>
public sealed class ApiServerFixture : IAsyncLifetime
{
    private WebApplication? _app;
    private string _dataDir = "";

    public HttpClient Client { get; private set; } = null!;
    public Uri BaseAddress { get; private set; } = null!;
    public IResourceStore Store { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _dataDir = Path.Combine(Path.GetTempPath(), "k8shost-api-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dataDir);
        Store = await new SqliteStoreDriver().OpenAsync("sqlite://", new StoreOptions { DataDir = _dataDir });

        (_app, BaseAddress) = await StartHostAsync(Store, HistoryEvents);
        Http2Address = LastHttp2Address!;
        Client = NewClient();
        foreach (var ns in new[] { "default", "errors", "tables", "lists", "watches", "writes" })
            await EnsureNamespaceAsync(ns);
    }

    /// <summary>
    /// Starts a host the way the server composes one (catalog, registry, AddK8sApi/MapK8sApi) on Kestrel at
    /// 127.0.0.1 with a free port. Also used by tests that need a host of their own (shutdown, store failure).
    /// </summary>
    public static async Task<(WebApplication App, Uri Address)> StartHostAsync(IResourceStore store, int historyEvents = 1000)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Logging.ClearProviders();
        ListenOptions? h2 = null;
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            // A cleartext HTTP/2 listener (prior knowledge): kubectl speaks HTTP/2, where bodies may come without length framing.
            k.Listen(IPAddress.Loopback, 0, l => { l.Protocols = HttpProtocols.Http2; h2 = l; });
        });
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton(new ResourceCatalog(BuiltInKinds.All()));
        // A short history, so tests can push old revisions out of it (410 paths) with a few writes.
        builder.Services.AddK8sRegistry(o => o.MaxEvents = historyEvents);
        builder.Services.AddK8sApi();
        var app = builder.Build();
        app.MapK8sApi();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        LastHttp2Address = new Uri($"http://127.0.0.1:{h2!.IPEndPoint!.Port}");
        return (app, new Uri(address));
    }

    /// <summary>The HTTP/2-only listener of the host started last (the fixture's, unless a test started its own).</summary>
    private static Uri? LastHttp2Address { get; set; }

    /// <summary>The fixture host's cleartext HTTP/2 listener.</summary>
    public Uri Http2Address { get; private set; } = null!;

    /// <summary>A client that speaks HTTP/2 with prior knowledge to <see cref="Http2Address"/>.</summary>
    public HttpClient NewHttp2Client() => new()
    {
        BaseAddress = Http2Address,
        Timeout = TimeSpan.FromSeconds(30),
        DefaultRequestVersion = HttpVersion.Version20,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
    };

    /// <summary>How many events the watch cache keeps in the fixture.</summary>
    public const int HistoryEvents = 100;

    /// <summary>Writes until revision 1 is older than the kept history and compacts the store, so reads and watches at it get 410.</summary>
    public async Task PushRevision1OutOfHistoryAsync()
    {
        await EnsureNamespaceAsync("history");
        for (var i = 0; i < HistoryEvents * 2 && await Store.GetCurrentRevisionAsync() < HistoryEvents + 20; i++)
        {
            using var res = await Client.PostAsync("/api/v1/namespaces/history/configmaps", Json(ConfigMap("filler-" + Guid.NewGuid().ToString("N"), "history")));
            res.EnsureSuccessStatusCode();
        }
        await Store.CompactAsync(await Store.GetCurrentRevisionAsync());
    }

    public HttpClient NewClient(TimeSpan? timeout = null) =>
        new() { BaseAddress = BaseAddress, Timeout = timeout ?? TimeSpan.FromSeconds(30) };

    public async Task EnsureNamespaceAsync(string name)
    {
        using var res = await Client.PostAsync("/api/v1/namespaces", Json($$$"""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"{{{name}}}"}}"""));
        if (res.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.Conflict))
            throw new InvalidOperationException($"creating namespace {name}: {(int)res.StatusCode} {await res.Content.ReadAsStringAsync()}");
    }

    public static StringContent Json(string body, string contentType = "application/json") =>
        new(body, Encoding.UTF8, new MediaTypeHeaderValue(contentType) { CharSet = null });

    public static string ConfigMap(string name, string ns = "default", string data = """{"k":"v"}""") =>
        $$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}"},"data":{{{data}}}}""";

    public static string Pod(string name, string ns = "default", string labels = """{"app":"web"}""") =>
        $$$"""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}","labels":{{{labels}}}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}""";

    public static async Task<JsonObject> ReadObjectAsync(HttpResponseMessage res) =>
        JsonNode.Parse(await res.Content.ReadAsStringAsync())!.AsObject();

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        if (Store is not null) await Store.DisposeAsync();
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class ApiServerCollection : ICollectionFixture<ApiServerFixture>
{
    public const string Name = "api-server";
}
