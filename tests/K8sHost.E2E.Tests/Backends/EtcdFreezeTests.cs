using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using K8sHost.E2E.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;
using static K8sHost.E2E.Tests.Backends.BackendHttp;

namespace K8sHost.E2E.Tests.Backends;

/// <summary>
/// etcd hangs (SIGSTOP) under the real server: requests sent to it are neither answered nor refused, and a frozen etcd
/// applies what sits in its socket once it resumes. What the server answers must stay true: 503 only for what was not
/// applied, 504 Timeout when it cannot know. Each test gets its own etcd and server (it freezes them).
/// </summary>
public sealed class EtcdFreezeTests(ITestOutputHelper output) : IAsyncLifetime
{
    // The server's store call timeout (StoreOptions.CallTimeout, retries included).
    private static readonly TimeSpan StoreTimeout = TimeSpan.FromSeconds(5);

    // One request's bound during the freeze: the store timeout plus process, TLS and scheduling on a busy 2-core machine.
    private static readonly TimeSpan RequestBound = StoreTimeout + TimeSpan.FromSeconds(2);

    private static readonly TimeSpan ProbeBound = TimeSpan.FromSeconds(1);

    private EtcdServerFixture Fx { get; } = new();

    public Task InitializeAsync() => Fx.InitializeAsync();

    public Task DisposeAsync() => Fx.DisposeAsync();

    [Fact]
    public async Task EtcdFrozen_NoCreateAnswered503IsStored_EveryStoredCreateWasAnswered201Or504_AndEveryRequestEndsWithinTheStoreTimeout()
    {
        using var http = Client(Fx.Server, TimeSpan.FromSeconds(30));
        const string Ns = "default";
        await CreateConfigMapAsync(http, Ns, "warm-up"); // the etcd connection is up before the freeze

        await Fx.Etcd.FreezeAsync();
        var answers = new ConcurrentDictionary<int, int>();
        var slowest = new ConcurrentBag<(string What, long Ms)>();
        var probes = new ConcurrentBag<(string Path, int Code, long Ms)>();
        try
        {
            // Waves of generateName creates (each with its own prefix, so what was stored maps back to its request),
            // with consistent reads among them, for longer than the store timeout: the first calls go out and hang
            // (504), later ones meet the open circuit breaker (503).
            var requests = new List<Task>();
            var index = 0;
            for (var wave = 0; wave < 8; wave++)
            {
                for (var j = 0; j < 6; j++)
                {
                    var i = index++;
                    requests.Add(TimedAsync($"create {i}", slowest, async () =>
                    {
                        using var r = await http.PostAsync($"/api/v1/namespaces/{Ns}/configmaps", GenerateNamed($"f{i}-"));
                        var body = await r.Content.ReadAsStringAsync();
                        answers[i] = (int)r.StatusCode;
                        if (r.StatusCode != HttpStatusCode.Created) BackendOutageTests<EtcdServerFixture>.CheckOutageStatus(r, body, $"create {i}");
                    }));
                }
                requests.Add(TimedAsync($"get {wave}", slowest, async () =>
                {
                    using var r = await http.GetAsync($"/api/v1/namespaces/{Ns}/configmaps/warm-up");
                    BackendOutageTests<EtcdServerFixture>.CheckOutageStatus(r, await r.Content.ReadAsStringAsync(), $"get {wave}");
                }));
                requests.Add(TimedAsync($"list {wave}", slowest, async () =>
                {
                    using var r = await http.GetAsync($"/api/v1/namespaces/{Ns}/configmaps");
                    BackendOutageTests<EtcdServerFixture>.CheckOutageStatus(r, await r.Content.ReadAsStringAsync(), $"list {wave}");
                }));
                foreach (var path in new[] { "/readyz", "/livez" })
                {
                    var sw = Stopwatch.StartNew();
                    using var r = await http.GetAsync(path);
                    probes.Add((path, (int)r.StatusCode, sw.ElapsedMilliseconds));
                }
                await Task.Delay(1000);
            }
            await Task.WhenAll(requests);
        }
        finally
        {
            await Fx.Etcd.ThawAsync();
        }

        output.WriteLine("answers during the freeze: " + string.Join(", ", answers.GroupBy(a => a.Value).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}")));
        output.WriteLine("slowest: " + string.Join(", ", slowest.OrderByDescending(s => s.Ms).Take(5).Select(s => $"{s.What} {s.Ms} ms")));
        output.WriteLine("probes: " + string.Join(", ", probes.Select(p => $"{p.Path} {p.Code} {p.Ms} ms")));

        // Every request ended within the store timeout (one deadline, not several store timeouts in turn).
        var tooSlow = slowest.Where(s => s.Ms > RequestBound.TotalMilliseconds).ToList();
        Assert.True(tooSlow.Count == 0, $"requests slower than {RequestBound}: {string.Join(", ", tooSlow.Select(s => $"{s.What} {s.Ms} ms"))}");
        // /readyz and /livez answered at once from the background health state; /readyz said not-ready.
        var slowProbes = probes.Where(p => p.Ms > ProbeBound.TotalMilliseconds).ToList();
        Assert.True(slowProbes.Count == 0, $"probes slower than {ProbeBound}: {string.Join(", ", slowProbes.Select(p => $"{p.Path} {p.Ms} ms"))}");
        Assert.Contains(probes, p => p.Path == "/readyz" && p.Code == 503);
        Assert.All(probes.Where(p => p.Path == "/livez"), p => Assert.Equal(200, p.Code));
        Assert.Contains(answers.Values, code => code is 503 or 504);

        // After the thaw etcd applies whatever it had received: compare with what each request was told.
        await WaitReadyAsync(http);
        await Task.Delay(2000); // the watch cache follows etcd; a consistent list below catches up anyway
        var stored = Names(await GetJsonAsync(http, $"/api/v1/namespaces/{Ns}/configmaps"))
            .Where(n => n.StartsWith('f') && n.Contains('-'))
            .GroupBy(n => int.Parse(n[1..n.IndexOf('-')], System.Globalization.CultureInfo.InvariantCulture))
            .ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine($"stored after the thaw: {stored.Count} of {answers.Count} creates");
        foreach (var (i, code) in answers)
        {
            var count = stored.GetValueOrDefault(i);
            Assert.True(count <= 1, $"create {i} stored {count} objects");
            if (code == 503) Assert.True(count == 0, $"create {i} was answered 503 (not applied) but is stored");
            if (code == 201) Assert.True(count == 1, $"create {i} was answered 201 but is not stored");
        }
        Assert.All(stored.Keys, i => Assert.True(answers.ContainsKey(i), $"f{i}- stored without a request"));
    }

    [Fact]
    public async Task RequestTimeoutFlag_BoundsARequestBelowTheStoreTimeout_With504()
    {
        // A second server on the same etcd with a request deadline shorter than the store timeout.
        await using var server = new ServerProcess(null, "--storage", Fx.StorageUrl, "--request-timeout", "2s");
        await server.StartAsync(TimeSpan.FromSeconds(45));
        using var http = Client(server, TimeSpan.FromSeconds(30));
        await CreateConfigMapAsync(http, "default", "before-freeze");

        await Fx.Etcd.FreezeAsync();
        try
        {
            var sw = Stopwatch.StartNew();
            using var r = await http.PostAsync("/api/v1/namespaces/default/configmaps", GenerateNamed("deadline-"));
            var body = await r.Content.ReadAsStringAsync();
            output.WriteLine($"create with --request-timeout 2s while etcd is frozen: {(int)r.StatusCode} in {sw.ElapsedMilliseconds} ms: {body}");
            Assert.Equal(HttpStatusCode.GatewayTimeout, r.StatusCode);
            BackendOutageTests<EtcdServerFixture>.CheckOutageStatus(r, body, "create");
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(2) + TimeSpan.FromSeconds(1.5), $"took {sw.Elapsed} with a 2 s request timeout");
            Assert.True(sw.Elapsed >= TimeSpan.FromSeconds(1.9), $"answered after {sw.Elapsed}, before the 2 s deadline");
        }
        finally
        {
            await Fx.Etcd.ThawAsync();
        }
    }

    private static StringContent GenerateNamed(string prefix) =>
        new($"{{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{{\"generateName\":\"{prefix}\"}},\"data\":{{\"k\":\"v\"}}}}",
            Encoding.UTF8, "application/json");

    private static async Task TimedAsync(string what, ConcurrentBag<(string, long)> times, Func<Task> request)
    {
        var sw = Stopwatch.StartNew();
        await request();
        times.Add((what, sw.ElapsedMilliseconds));
    }

    private static async Task WaitReadyAsync(HttpClient http)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(30))
        {
            try
            {
                using var r = await http.GetAsync("/readyz");
                if (r.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException("/readyz not ok 30 s after etcd was thawed");
    }
}
