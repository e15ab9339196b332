using System.Diagnostics;
using System.Net;
using K8sHost.Registry;
using K8sHost.Registry.Cache;
using K8sHost.Registry.Catalog;
using K8sHost.Resources;
using K8sHost.Storage;
using K8sHost.Storage.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static K8sHost.Api.Tests.Http.ApiServerFixture;

namespace K8sHost.Api.Tests.Http;

/// <summary>
/// A watch client that stops reading while events keep coming. Its host is its own: a tiny per-watcher buffer, and a
/// probe that records when the server is done with the watch request (the connection released), which a client
/// that does not read cannot observe by itself.
/// </summary>
public sealed class SlowWatcherTests : IAsyncLifetime
{
    private readonly TaskCompletionSource _watchServed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string _dataDir = "";
    private IResourceStore _store = null!;
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _dataDir = Path.Combine(Path.GetTempPath(), "k8shost-api-slow-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dataDir);
        _store = await new SqliteStoreDriver().OpenAsync("sqlite://", new StoreOptions { DataDir = _dataDir });
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSingleton(_store);
        builder.Services.AddSingleton(new ResourceCatalog(BuiltInKinds.All()));
        builder.Services.AddK8sRegistry(o => o.WatcherBuffer = 4);
        builder.Services.AddK8sApi();
        _app = builder.Build();
        _app.Use(async (http, next) =>
        {
            await next(http);
            if (http.Request.Query["watch"] == "true") _watchServed.TrySetResult();
        });
        _app.MapK8sApi();
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        _client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
        using var ns = await _client.PostAsync("/api/v1/namespaces", Json("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"slow"}}"""));
        ns.EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
        await _store.DisposeAsync();
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [Fact]
    public async Task WatcherThatStopsReading_IsCutOffWhenItsBufferFills_LongBeforeTheWatchTimesOut()
    {
        using var watch = await _client.GetAsync("/api/v1/namespaces/slow/configmaps?watch=true&timeoutSeconds=600", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, watch.StatusCode);
        await using var body = await watch.Content.ReadAsStreamAsync();
        var cache = _app.Services.GetRequiredService<WatchCache>();
        Assert.Equal(1, cache.WatcherCount);

        // Large events fill the socket buffers between server and client quickly; then the watcher's buffer fills.
        var data = $$"""{"k":"{{new string('x', 256 * 1024)}}"}""";
        var writes = 0;
        while (cache.WatcherCount > 0 && writes < 400)
        {
            using var res = await _client.PostAsync("/api/v1/namespaces/slow/configmaps", Json(ConfigMap($"big-{writes++}", "slow", data)));
            Assert.Equal(HttpStatusCode.Created, res.StatusCode);
        }
        Assert.True(cache.WatcherCount == 0, $"the watcher was not dropped after {writes} large events");
        var dropped = Stopwatch.StartNew();

        // The client still reads nothing, yet the server must be done with the request: the connection is closed
        // instead of being held (with everything queued for it) until timeoutSeconds.
        var served = await Task.WhenAny(_watchServed.Task, Task.Delay(TimeSpan.FromSeconds(15)));
        Assert.True(served == _watchServed.Task, $"the server still held the watch {dropped.Elapsed} after dropping it ({writes} events written)");

        // When the client reads again it gets what was already in flight and then a cut stream, not a clean end: it
        // knows to re-watch from the last revision it saw.
        var buffer = new byte[64 * 1024];
        using var readFor = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var cut = false;
        try
        {
            while (await body.ReadAsync(buffer, readFor.Token) > 0) { }
        }
        catch (IOException)
        {
            cut = true;
        }
        Assert.True(cut, "the stream of a dropped watcher ended cleanly, as if the watch had simply timed out");
    }
}
