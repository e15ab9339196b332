using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using K8sHost.E2E.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;
using static K8sHost.E2E.Tests.Backends.BackendHttp;

namespace K8sHost.E2E.Tests.Backends;

/// <summary>
/// etcd dies under a running server and comes back on the same data dir and port. The server must answer 503 with
/// Retry-After quickly (never 500, never hang), report not-ready, recover by itself, and lose no acknowledged write.
/// </summary>
public sealed class EtcdOutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    // How long one request may take while etcd is down: the store's whole-call timeout is 5 s (retries included),
    // plus process and TLS overhead on a busy 2-core machine. Anything longer is a hang.
    private static readonly TimeSpan FailFast = TimeSpan.FromSeconds(8);

    private readonly EtcdMember _etcd = new();
    private ServerProcess? _server;

    private ServerProcess Server => _server!;

    public async Task InitializeAsync()
    {
        await _etcd.StartAsync();
        _server = new ServerProcess(null, "--storage", _etcd.StorageUrl);
        await _server.StartAsync(TimeSpan.FromSeconds(45));
    }

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        await _etcd.DisposeAsync();
    }

    [Fact]
    public async Task EtcdKilledAndRestarted_ServerFailsFastWith503_ReportsNotReady_RecoversAndKeepsAcknowledgedWrites()
    {
        using var http = Client(Server, TimeSpan.FromSeconds(15));
        const string Ns = "default";
        var acknowledged = new ConcurrentBag<string>();
        for (var i = 0; i < 5; i++) acknowledged.Add((await CreateConfigMapAsync(http, Ns, $"pre-{i}"))["metadata"]!["name"]!.GetValue<string>());
        var listRv = (await GetJsonAsync(http, $"/api/v1/namespaces/{Ns}/configmaps"))["metadata"]!["resourceVersion"]!.GetValue<string>();
        await using var watch = await WatchReader.OpenAsync(http, $"/api/v1/namespaces/{Ns}/configmaps?watch=true&resourceVersion={listRv}&timeoutSeconds=120");

        // A writer keeps creating while etcd dies; every 201 it gets is a promise the data survives.
        var statuses = new ConcurrentDictionary<int, int>();
        using var stopWriting = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            using var w = Client(Server, TimeSpan.FromSeconds(15));
            for (var i = 0; !stopWriting.IsCancellationRequested && i < 10_000; i++)
            {
                var name = $"during-{i}";
                try
                {
                    var r = await w.PostAsync($"/api/v1/namespaces/{Ns}/configmaps", ConfigMap(name));
                    statuses.AddOrUpdate((int)r.StatusCode, 1, (_, n) => n + 1);
                    if (r.StatusCode == HttpStatusCode.Created) acknowledged.Add(name);
                    else await Task.Delay(100);
                }
                catch (TaskCanceledException) { statuses.AddOrUpdate(-1, 1, (_, n) => n + 1); }
            }
        });
        await Task.Delay(700);
        _etcd.Kill();
        var killed = Stopwatch.StartNew();

        // Writes, gets and lists each fail fast with a 503 Status and Retry-After.
        await AssertServiceUnavailableAsync(http, HttpMethod.Post, $"/api/v1/namespaces/{Ns}/configmaps", "create");
        await AssertServiceUnavailableAsync(http, HttpMethod.Get, $"/api/v1/namespaces/{Ns}/configmaps/pre-0", "get");
        await AssertServiceUnavailableAsync(http, HttpMethod.Get, $"/api/v1/namespaces/{Ns}/configmaps", "list");
        await AssertServiceUnavailableAsync(http, HttpMethod.Post, $"/api/v1/namespaces/{Ns}/configmaps", "second create");

        var sw = Stopwatch.StartNew();
        var ready = await http.GetAsync("/readyz");
        output.WriteLine($"/readyz while etcd is down: {(int)ready.StatusCode} in {sw.ElapsedMilliseconds} ms: {(await ready.Content.ReadAsStringAsync()).Split('\n')[0]}");
        Assert.NotEqual(HttpStatusCode.OK, ready.StatusCode);
        Assert.True(sw.Elapsed < FailFast, $"/readyz took {sw.Elapsed}");

        await stopWriting.CancelAsync();
        await writer.WaitAsync(TimeSpan.FromSeconds(30));
        output.WriteLine("writer statuses during the outage: " + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}")));
        Assert.False(statuses.ContainsKey(500), "a request failed with 500 during the outage");
        Assert.False(statuses.ContainsKey(-1), "a request hung past the client timeout during the outage");
        output.WriteLine($"etcd was down for {killed.ElapsedMilliseconds} ms");

        // etcd returns on the same port and data dir: the server recovers without being touched.
        await _etcd.StartAsync();
        var back = Stopwatch.StartNew();
        await WaitUntilAsync(async () => (await http.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(30), "/readyz ok after etcd returned");
        output.WriteLine($"/readyz ok {back.ElapsedMilliseconds} ms after etcd was healthy again");
        // A fresh name per try: a try that timed out may still have been committed.
        var attempt = 0;
        string? firstAfter = null;
        await WaitUntilAsync(async () =>
        {
            var name = $"after-{attempt++}";
            if ((await http.PostAsync($"/api/v1/namespaces/{Ns}/configmaps", ConfigMap(name))).StatusCode != HttpStatusCode.Created) return false;
            firstAfter = name;
            return true;
        }, TimeSpan.FromSeconds(20), "a create succeeds after etcd returned");
        acknowledged.Add(firstAfter!);
        output.WriteLine($"writes succeed {back.ElapsedMilliseconds} ms after etcd was healthy again ({attempt} tries)");

        // The watch opened before the outage either carries on (the post-recovery create arrives) or has ended
        // cleanly (EOF or an ERROR event) so the client relists; it must not hang silently.
        var watchOutcome = await WatchOutcomeAsync(watch, firstAfter!);
        output.WriteLine("watch opened before the outage: " + watchOutcome);
        if (watchOutcome != "continued")
        {
            // What a client does next: relist and watch from the list's revision.
            var relistRv = (await GetJsonAsync(http, $"/api/v1/namespaces/{Ns}/configmaps"))["metadata"]!["resourceVersion"]!.GetValue<string>();
            await using var rewatch = await WatchReader.OpenAsync(http, $"/api/v1/namespaces/{Ns}/configmaps?watch=true&resourceVersion={relistRv}&timeoutSeconds=30");
            await CreateConfigMapAsync(http, Ns, "after-relist");
            acknowledged.Add("after-relist");
            await rewatch.WaitForAsync("ADDED", "after-relist", TimeSpan.FromSeconds(15));
        }

        // No acknowledged write is lost, and nothing acknowledged is missing from a fresh server either (the data is in etcd).
        var names = Names(await GetJsonAsync(http, $"/api/v1/namespaces/{Ns}/configmaps")).ToHashSet();
        var lost = acknowledged.Where(a => !names.Contains(a)).ToList();
        Assert.True(lost.Count == 0, $"lost {lost.Count} of {acknowledged.Count} acknowledged writes: {string.Join(",", lost.Take(10))}");
        output.WriteLine($"{acknowledged.Count} acknowledged writes, all present after recovery");
    }

    private async Task AssertServiceUnavailableAsync(HttpClient http, HttpMethod method, string path, string what)
    {
        using var request = new HttpRequestMessage(method, path);
        if (method == HttpMethod.Post) request.Content = ConfigMap($"down-{Guid.NewGuid().ToString("N")[..8]}");
        var sw = Stopwatch.StartNew();
        using var r = await http.SendAsync(request);
        var body = await r.Content.ReadAsStringAsync();
        output.WriteLine($"{what} while etcd is down: {(int)r.StatusCode} in {sw.ElapsedMilliseconds} ms, Retry-After {r.Headers.RetryAfter}");
        Assert.True(r.StatusCode == HttpStatusCode.ServiceUnavailable, $"{what}: expected 503, got {(int)r.StatusCode}: {body}");
        Assert.True(sw.Elapsed < FailFast, $"{what} took {sw.Elapsed}");
        Assert.NotNull(r.Headers.RetryAfter);
        var status = JsonNode.Parse(body)!;
        Assert.Equal("Status", status["kind"]!.GetValue<string>());
        Assert.Equal("ServiceUnavailable", status["reason"]!.GetValue<string>());
        Assert.Equal(503, status["code"]!.GetValue<int>());
    }

    private static async Task<string> WatchOutcomeAsync(WatchReader watch, string name)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        var seen = new List<string>();
        while (DateTime.UtcNow < deadline)
        {
            JsonNode? ev;
            try { ev = await watch.NextAsync(deadline - DateTime.UtcNow); }
            catch (HttpIOException) { return "ended (stream cut)"; }
            catch (IOException) { return "ended (stream cut)"; }
            catch (TimeoutException) { break; }
            if (ev is null) return "ended (EOF)";
            var type = ev["type"]!.GetValue<string>();
            if (type == "ERROR") return $"ended (ERROR {ev["object"]?["code"]})";
            var evName = ev["object"]?["metadata"]?["name"]?.GetValue<string>();
            if (type == "ADDED" && evName == name) return "continued";
            seen.Add($"{type} {evName}");
        }
        throw new Xunit.Sdk.XunitException($"the watch neither delivered ADDED {name} nor ended after recovery; saw: {string.Join(", ", seen.TakeLast(10))}");
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < timeout)
        {
            try
            {
                if (await condition()) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException($"{what}: not within {timeout}");
    }
}
