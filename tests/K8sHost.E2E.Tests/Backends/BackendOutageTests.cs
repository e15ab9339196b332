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
/// The backend dies under a running server and comes back with its data. The server must answer 503 with
/// Retry-After (or 504 when a call went out unanswered) quickly (never 500, never hang), report not-ready, recover by itself, and lose no acknowledged write.
/// Each test gets its own backend and server (it breaks them).
/// </summary>
public abstract class BackendOutageTests<TFixture>(ITestOutputHelper output) : IAsyncLifetime where TFixture : BackendServerFixture, new()
{
    // How long one request may take while the backend is down: the store's whole-call timeout is 5 s (retries
    // included), plus process and TLS overhead on a busy 2-core machine. Anything longer is a hang.
    protected static readonly TimeSpan FailFast = TimeSpan.FromSeconds(8);

    protected TFixture Fx { get; } = new();

    protected ITestOutputHelper Output => output;

    private ServerProcess Server => Fx.Server;

    public Task InitializeAsync() => Fx.InitializeAsync();

    public Task DisposeAsync() => Fx.DisposeAsync();

    /// <summary>The backend becomes unreachable (crash or stop), keeping its data.</summary>
    protected abstract Task TakeDownAsync();

    /// <summary>The backend comes back on the same address with the same data.</summary>
    protected abstract Task BringBackAsync();

    [Fact]
    public Task BackendDownAndBack_ServerFailsFastWithAStatus_ReportsNotReady_RecoversAndKeepsAcknowledgedWrites() =>
        RunOutageAsync(TakeDownAsync, BringBackAsync);

    protected async Task RunOutageAsync(Func<Task> takeDown, Func<Task> bringBack)
    {
        using var http = Client(Server, TimeSpan.FromSeconds(15));
        const string Ns = "default";
        var acknowledged = new ConcurrentBag<string>();
        for (var i = 0; i < 5; i++) acknowledged.Add((await CreateConfigMapAsync(http, Ns, $"pre-{i}"))["metadata"]!["name"]!.GetValue<string>());
        var listRv = (await GetJsonAsync(http, $"/api/v1/namespaces/{Ns}/configmaps"))["metadata"]!["resourceVersion"]!.GetValue<string>();
        await using var watch = await WatchReader.OpenAsync(http, $"/api/v1/namespaces/{Ns}/configmaps?watch=true&resourceVersion={listRv}&timeoutSeconds=120");

        // A writer keeps creating while the backend goes away; every 201 it gets is a promise the data survives.
        var statuses = new ConcurrentDictionary<int, int>();
        long slowest = 0;
        using var stopWriting = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            using var w = Client(Server, TimeSpan.FromSeconds(15));
            for (var i = 0; !stopWriting.IsCancellationRequested && i < 10_000; i++)
            {
                var name = $"during-{i}";
                var sw = Stopwatch.StartNew();
                try
                {
                    var r = await w.PostAsync($"/api/v1/namespaces/{Ns}/configmaps", ConfigMap(name));
                    lock (statuses) slowest = Math.Max(slowest, sw.ElapsedMilliseconds);
                    statuses.AddOrUpdate((int)r.StatusCode, 1, (_, n) => n + 1);
                    if (r.StatusCode == HttpStatusCode.Created) acknowledged.Add(name);
                    else await Task.Delay(100);
                }
                catch (TaskCanceledException) { statuses.AddOrUpdate(-1, 1, (_, n) => n + 1); }
            }
        });
        await Task.Delay(700);
        await takeDown();
        var down = Stopwatch.StartNew();

        // Writes, gets and lists each fail fast with a Status: 503 with Retry-After when the store refused them, 504
        // Timeout when a call went out and was not answered (a hung store). /readyz turns not-ready.
        // The first request meets the outage alone; the rest run together (each is bounded on its own).
        await AssertFailsFastAsync(http, HttpMethod.Post, $"/api/v1/namespaces/{Ns}/configmaps", "create");
        await Task.WhenAll(
            AssertFailsFastAsync(http, HttpMethod.Get, $"/api/v1/namespaces/{Ns}/configmaps/pre-0", "get"),
            AssertFailsFastAsync(http, HttpMethod.Get, $"/api/v1/namespaces/{Ns}/configmaps", "list"),
            AssertFailsFastAsync(http, HttpMethod.Post, $"/api/v1/namespaces/{Ns}/configmaps", "second create"),
            // A new watch "from now" needs the store's current revision, so it cannot start either.
            AssertFailsFastAsync(http, HttpMethod.Get, $"/api/v1/namespaces/{Ns}/configmaps?watch=true", "new watch"),
            AssertNotReadyAsync(http));

        await stopWriting.CancelAsync();
        await writer.WaitAsync(TimeSpan.FromSeconds(30));
        output.WriteLine("writer statuses during the outage: " + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))
            + $"; slowest {slowest} ms");
        Assert.True(slowest < FailFast.TotalMilliseconds, $"a write took {slowest} ms during the outage");
        Assert.False(statuses.ContainsKey(500), "a request failed with 500 during the outage");
        Assert.False(statuses.ContainsKey(-1), "a request hung past the client timeout during the outage");
        output.WriteLine($"{Fx.BackendName} was down for {down.ElapsedMilliseconds} ms");

        // The backend returns on the same address with its data: the server recovers without being touched.
        await bringBack();
        var back = Stopwatch.StartNew();
        await WaitUntilAsync(async () => (await http.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(30), "/readyz ok after the backend returned");
        output.WriteLine($"/readyz ok {back.ElapsedMilliseconds} ms after the backend was back");
        // A fresh name per try: a try that timed out may still have been committed.
        var attempt = 0;
        string? firstAfter = null;
        await WaitUntilAsync(async () =>
        {
            var name = $"after-{attempt++}";
            if ((await http.PostAsync($"/api/v1/namespaces/{Ns}/configmaps", ConfigMap(name))).StatusCode != HttpStatusCode.Created) return false;
            firstAfter = name;
            return true;
        }, TimeSpan.FromSeconds(20), "a create succeeds after the backend returned");
        acknowledged.Add(firstAfter!);
        output.WriteLine($"writes succeed {back.ElapsedMilliseconds} ms after the backend was back ({attempt} tries)");

        // The watch opened before the outage either carries on (the post-recovery create arrives) or has ended
        // cleanly (EOF or an ERROR event) so the client relists; it must not hang silently.
        var added = new HashSet<string>();
        var watchOutcome = await WatchOutcomeAsync(watch, firstAfter!, added);
        output.WriteLine("watch opened before the outage: " + watchOutcome);
        if (watchOutcome == "continued")
        {
            // A watch that carried on must not have skipped anything: every acknowledged create after its start came through.
            var missed = acknowledged.Where(a => !a.StartsWith("pre-", StringComparison.Ordinal) && !added.Contains(a)).ToList();
            Assert.True(missed.Count == 0, $"the watch continued across the outage but missed {missed.Count} creates: {string.Join(",", missed.Take(10))}");
        }
        else
        {
            // What a client does next: relist and watch from the list's revision.
            var relistRv = (await GetJsonAsync(http, $"/api/v1/namespaces/{Ns}/configmaps"))["metadata"]!["resourceVersion"]!.GetValue<string>();
            await using var rewatch = await WatchReader.OpenAsync(http, $"/api/v1/namespaces/{Ns}/configmaps?watch=true&resourceVersion={relistRv}&timeoutSeconds=30");
            await CreateConfigMapAsync(http, Ns, "after-relist");
            acknowledged.Add("after-relist");
            await rewatch.WaitForAsync("ADDED", "after-relist", TimeSpan.FromSeconds(15));
        }

        // No acknowledged write is lost.
        var names = Names(await GetJsonAsync(http, $"/api/v1/namespaces/{Ns}/configmaps")).ToHashSet();
        var lost = acknowledged.Where(a => !names.Contains(a)).ToList();
        Assert.True(lost.Count == 0, $"lost {lost.Count} of {acknowledged.Count} acknowledged writes: {string.Join(",", lost.Take(10))}");
        output.WriteLine($"{acknowledged.Count} acknowledged writes, all present after recovery");
    }

    private async Task AssertFailsFastAsync(HttpClient http, HttpMethod method, string path, string what)
    {
        using var request = new HttpRequestMessage(method, path);
        if (method == HttpMethod.Post) request.Content = ConfigMap($"down-{Guid.NewGuid().ToString("N")[..8]}");
        var sw = Stopwatch.StartNew();
        using var r = await http.SendAsync(request);
        var body = await r.Content.ReadAsStringAsync();
        output.WriteLine($"{what} while the backend is down: {(int)r.StatusCode} in {sw.ElapsedMilliseconds} ms, Retry-After {r.Headers.RetryAfter}");
        Assert.True(sw.Elapsed < FailFast, $"{what} took {sw.Elapsed}");
        CheckOutageStatus(r, body, what);
    }

    /// <summary>503 ServiceUnavailable with Retry-After (not applied), or 504 Timeout without it (may still apply).</summary>
    public static void CheckOutageStatus(HttpResponseMessage r, string body, string what)
    {
        Assert.True(r.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout, $"{what}: expected 503 or 504, got {(int)r.StatusCode}: {body}");
        var status = JsonNode.Parse(body)!;
        Assert.Equal("Status", status["kind"]!.GetValue<string>());
        Assert.Equal((int)r.StatusCode, status["code"]!.GetValue<int>());
        if (r.StatusCode == HttpStatusCode.ServiceUnavailable)
        {
            Assert.Equal("ServiceUnavailable", status["reason"]!.GetValue<string>());
            Assert.NotNull(r.Headers.RetryAfter);
        }
        else
        {
            Assert.Equal("Timeout", status["reason"]!.GetValue<string>());
            Assert.Equal("the server was unable to return a response in the time allotted, but may still be processing the request",
                status["message"]!.GetValue<string>());
            // No Retry-After: a client must not blindly repeat a request that may have been applied.
            Assert.Null(r.Headers.RetryAfter);
        }
    }

    // /readyz answers from a health state a background probe keeps current (one probe a second, 2 s probe timeout):
    // every answer is immediate, and it turns not-ready within a few seconds of the outage.
    private async Task AssertNotReadyAsync(HttpClient http)
    {
        var outage = Stopwatch.StartNew();
        while (true)
        {
            var sw = Stopwatch.StartNew();
            using var ready = await http.GetAsync("/readyz");
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(1), $"/readyz took {sw.Elapsed}");
            if (ready.StatusCode != HttpStatusCode.OK)
            {
                output.WriteLine($"/readyz while the backend is down: {(int)ready.StatusCode} after {outage.ElapsedMilliseconds} ms: {(await ready.Content.ReadAsStringAsync()).Split('\n')[0]}");
                return;
            }
            Assert.True(outage.Elapsed < TimeSpan.FromSeconds(6), "/readyz still ok 6 s into the outage");
            await Task.Delay(100);
        }
    }

    private static async Task<string> WatchOutcomeAsync(WatchReader watch, string name, HashSet<string> added)
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
            if (type == "ADDED" && evName is not null) added.Add(evName);
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

/// <summary>etcd crashes (SIGKILL) and restarts on the same port and data dir; or hangs (SIGSTOP) and resumes.</summary>
public sealed class EtcdOutageTests(ITestOutputHelper output) : BackendOutageTests<EtcdServerFixture>(output)
{
    protected override Task TakeDownAsync()
    {
        Fx.Etcd.Kill();
        return Task.CompletedTask;
    }

    protected override Task BringBackAsync() => Fx.Etcd.StartAsync();

    // A hung member is worse than a dead one: connections stay open and nothing answers, so only timeouts help.
    [Fact]
    public Task EtcdFrozenAndThawed_ServerFailsFastWith503Or504_ReportsNotReady_RecoversAndKeepsAcknowledgedWrites() =>
        RunOutageAsync(Fx.Etcd.FreezeAsync, Fx.Etcd.ThawAsync);
}

/// <summary>The FlareDB PD and stores stop listening (connections refused) and start again with their data.</summary>
public sealed class FlareDbOutageTests(ITestOutputHelper output) : BackendOutageTests<FlareDbServerFixture>(output)
{
    protected override Task TakeDownAsync() => Fx.FlareDb.StopAsync();

    protected override Task BringBackAsync() => Fx.FlareDb.StartAsync();
}
