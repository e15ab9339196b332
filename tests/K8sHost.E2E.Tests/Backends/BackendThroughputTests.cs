using System.Diagnostics;
using System.Globalization;
using System.Net;
using K8sHost.E2E.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;
using static K8sHost.E2E.Tests.Backends.BackendHttp;

namespace K8sHost.E2E.Tests.Backends;

/// <summary>
/// The same small bounded workload over HTTPS against the server on SQLite, etcd and FlareDB, printed side by side.
/// Numbers depend on the machine (2 shared cores); the test asserts only that every request succeeded.
/// </summary>
[Collection(BackendsCollection.Name)]
public sealed class BackendThroughputTests(EtcdServerFixture etcd, FlareDbServerFixture flareDb, ITestOutputHelper output)
{
    private const int Creates = 500;
    private const int Gets = 2000;
    private const int Lists = 20;
    private const int Concurrency = 16;

    private sealed record Result(string Backend, Phase Create, Phase Get, Phase List);

    private sealed record Phase(int Count, TimeSpan Elapsed, List<double> LatenciesMs)
    {
        public double PerSecond => Count / Elapsed.TotalSeconds;

        public double Percentile(double p)
        {
            var sorted = LatenciesMs.Order().ToList();
            return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
        }
    }

    [Fact]
    public async Task CreateGetList_OnEachBackend_AllSucceed_AndThroughputIsPrinted()
    {
        var results = new List<Result>();
        var sqlite = new SqliteServerFixture();
        try
        {
            await sqlite.InitializeAsync();
            results.Add(await MeasureAsync(sqlite));
        }
        finally
        {
            await sqlite.DisposeAsync();
        }
        results.Add(await MeasureAsync(etcd));
        results.Add(await MeasureAsync(flareDb));

        output.WriteLine($"{Creates} creates and {Gets} GETs with {Concurrency} concurrent HTTPS clients, {Lists} sequential LISTs of {Creates} configmaps");
        output.WriteLine($"{"backend",-8} | {"create/s",9} {"p50 ms",7} {"p99 ms",7} | {"get/s",8} {"p50 ms",7} {"p99 ms",7} | {"list/s",7} {"p50 ms",7} {"p99 ms",7}");
        foreach (var r in results)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Backend,-8} | {r.Create.PerSecond,9:F0} {r.Create.Percentile(0.5),7:F1} {r.Create.Percentile(0.99),7:F1} | {r.Get.PerSecond,8:F0} {r.Get.Percentile(0.5),7:F1} {r.Get.Percentile(0.99),7:F1} | {r.List.PerSecond,7:F1} {r.List.Percentile(0.5),7:F1} {r.List.Percentile(0.99),7:F1}"));
    }

    private static async Task<Result> MeasureAsync(BackendServerFixture fx)
    {
        var server = fx.Server;
        var ns = $"perf-{Guid.NewGuid().ToString("N")[..6]}";
        using (var setup = Client(server)) await CreateNamespaceAsync(setup, ns);
        var clients = Enumerable.Range(0, Concurrency).Select(_ => Client(server, TimeSpan.FromSeconds(30))).ToList();
        try
        {
            // Warm up every connection (TLS handshake, JIT) so the numbers measure the store, not the first request.
            await Task.WhenAll(clients.Select(c => c.GetAsync($"/api/v1/namespaces/{ns}/configmaps")));

            var create = await RunAsync(clients, Creates, async (http, i) =>
            {
                using var r = await http.PostAsync($"/api/v1/namespaces/{ns}/configmaps", ConfigMap($"cm-{i:D4}", $"value-{i}"));
                return r.StatusCode == HttpStatusCode.Created ? null : $"create cm-{i:D4}: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}";
            });
            var get = await RunAsync(clients, Gets, async (http, i) =>
            {
                var name = $"cm-{i * 7919 % Creates:D4}";
                using var r = await http.GetAsync($"/api/v1/namespaces/{ns}/configmaps/{name}");
                return r.StatusCode == HttpStatusCode.OK ? null : $"get {name}: {(int)r.StatusCode}";
            });
            var list = await RunAsync(clients.Take(1).ToList(), Lists, async (http, _) =>
            {
                var items = Names(await GetJsonAsync(http, $"/api/v1/namespaces/{ns}/configmaps"));
                return items.Count == Creates ? null : $"list returned {items.Count} items";
            });
            return new Result(fx.BackendName, create, get, list);
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    /// <summary>Runs <paramref name="count"/> operations spread over the clients (one worker each); fails on the first error.</summary>
    private static async Task<Phase> RunAsync(List<HttpClient> clients, int count, Func<HttpClient, int, Task<string?>> op)
    {
        var next = -1;
        var latencies = new List<double>(count);
        var errors = new List<string>();
        var total = Stopwatch.StartNew();
        await Task.WhenAll(clients.Select(http => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var sw = Stopwatch.StartNew();
                var error = await op(http, i);
                lock (latencies)
                {
                    latencies.Add(sw.Elapsed.TotalMilliseconds);
                    if (error is not null) errors.Add(error);
                }
            }
        })));
        total.Stop();
        Assert.True(errors.Count == 0, $"{errors.Count} of {count} failed, e.g. {string.Join("; ", errors.Take(3))}");
        return new Phase(count, total.Elapsed, latencies);
    }
}
