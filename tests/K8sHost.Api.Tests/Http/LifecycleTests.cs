using System.Net;
using K8sHost.Api.Health;
using K8sHost.Storage;
using K8sHost.Storage.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace K8sHost.Api.Tests.Http;

/// <summary>Shutdown and store failure, each on a host of its own (they break the host they run on).</summary>
public sealed class LifecycleTests : IAsyncLifetime
{
    private string _dataDir = "";
    private IResourceStore _store = null!;
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _dataDir = Path.Combine(Path.GetTempPath(), "k8shost-api-life-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dataDir);
        _store = await new SqliteStoreDriver().OpenAsync("sqlite://", new StoreOptions { DataDir = _dataDir });
        Uri address;
        (_app, address) = await ApiServerFixture.StartHostAsync(_store);
        _client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
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
    public async Task ShutdownBegins_ReadyzTurnsNotReadyAndOpenWatchesEnd()
    {
        using (var ready = await _client.GetAsync("/readyz")) Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var watch = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/namespaces?watch=true"),
            HttpCompletionOption.ResponseHeadersRead, cts.Token);
        Assert.Equal(HttpStatusCode.OK, watch.StatusCode);
        var body = await watch.Content.ReadAsStreamAsync(cts.Token);

        // Signals ApplicationStopping without stopping Kestrel (the host was started, not run), so the server can still answer.
        _app.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();

        var buffer = new byte[4096];
        while (await body.ReadAsync(buffer, cts.Token) > 0) { }
        using var notReady = await _client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        Assert.Contains("shutting down", await notReady.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task StoreFails_ReadyzTurnsNotReadyWithinTheProbeInterval_AnsweringEveryCallAtOnce()
    {
        await _store.DisposeAsync();
        // The background monitor notices at its next probe; /readyz itself never waits on the store.
        var deadline = DateTime.UtcNow + StoreHealthMonitor.Interval + StoreHealthMonitor.ProbeTimeout + TimeSpan.FromSeconds(3);
        while (true)
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            using var res = await _client.GetAsync("/readyz");
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(1), $"/readyz took {sw.Elapsed}");
            if (res.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                Assert.Contains("storage unavailable", await res.Content.ReadAsStringAsync());
                break;
            }
            Assert.True(DateTime.UtcNow < deadline, "/readyz still ok long after the store failed");
            await Task.Delay(100);
        }
        Assert.False(_app.Services.GetRequiredService<IReadinessState>().IsReady);
    }
}
