using System.Net;
using System.Text;
using K8sHost.E2E.Tests.Backends;
using K8sHost.E2E.Tests.Infrastructure;
using Xunit;

namespace K8sHost.E2E.Tests.Operations;

/// <summary>GET /metrics as Prometheus scrapes it: kube-apiserver's names, labels and buckets, counting real traffic.</summary>
[Collection("kubectl")]
public sealed class MetricsTests
{
    private static readonly double[] UpstreamDurationBuckets =
        [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60];

    private static async Task<PrometheusText> ScrapeAsync(HttpClient http)
    {
        var r = await http.GetAsync("/metrics");
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.OK, $"/metrics: {(int)r.StatusCode} {body}");
        Assert.StartsWith("text/plain", r.Content.Headers.ContentType!.ToString());
        return PrometheusText.Parse(body);
    }

    private static double Requests(PrometheusText m, string verb, string resource, string code, string scope) =>
        m.Sum("apiserver_request_total", ("verb", verb), ("resource", resource), ("code", code), ("scope", scope), ("component", "apiserver"));

    [Fact]
    public async Task Metrics_AfterKnownTraffic_CountEveryRequestByVerbResourceScopeAndCode_WithWellFormedHistograms()
    {
        await using var server = new ServerProcess();
        await server.StartAsync();
        using var http = BackendHttp.Client(server);
        await BackendHttp.CreateNamespaceAsync(http, "metrics");
        var before = await ScrapeAsync(http);

        const int creates = 7, gets = 5, lists = 3, missing = 2, deletes = 2;
        for (var i = 0; i < creates; i++) await BackendHttp.CreateConfigMapAsync(http, "metrics", $"c{i}");
        for (var i = 0; i < gets; i++) Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/api/v1/namespaces/metrics/configmaps/c{i}")).StatusCode);
        for (var i = 0; i < missing; i++) Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/v1/namespaces/metrics/configmaps/absent{i}")).StatusCode);
        for (var i = 0; i < lists; i++) Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/namespaces/metrics/configmaps")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/configmaps")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await http.PostAsync("/api/v1/namespaces/metrics/configmaps", BackendHttp.ConfigMap("c0"))).StatusCode);
        var apply = new StringContent("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"applied\"},\"data\":{\"a\":\"b\"}}",
            Encoding.UTF8, "application/apply-patch+yaml");
        Assert.Equal(HttpStatusCode.Created, (await http.PatchAsync("/api/v1/namespaces/metrics/configmaps/applied?fieldManager=test", apply)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsync("/api/v1/namespaces/metrics/configmaps?dryRun=All", BackendHttp.ConfigMap("dry"))).StatusCode);
        for (var i = 0; i < deletes; i++) Assert.Equal(HttpStatusCode.OK, (await http.DeleteAsync($"/api/v1/namespaces/metrics/configmaps/c{i}")).StatusCode);
        using (var watch = await http.GetAsync("/api/v1/namespaces/metrics/configmaps?watch=true&timeoutSeconds=1", HttpCompletionOption.ResponseContentRead))
            Assert.Equal(HttpStatusCode.OK, watch.StatusCode);

        var after = await ScrapeAsync(http);
        double Delta(string verb, string code, string scope) =>
            Requests(after, verb, "configmaps", code, scope) - Requests(before, verb, "configmaps", code, scope);

        Assert.Equal(creates + 1, Delta("POST", "201", "namespace")); // + the dry run
        Assert.Equal(1, after.Sum("apiserver_request_total", ("verb", "POST"), ("resource", "configmaps"), ("dry_run", "All")));
        Assert.Equal(1, Delta("POST", "409", "namespace"));
        Assert.Equal(gets, Delta("GET", "200", "resource"));
        Assert.Equal(missing, Delta("GET", "404", "resource"));
        Assert.Equal(lists, Delta("LIST", "200", "namespace"));
        Assert.Equal(1, Delta("LIST", "200", "cluster"));
        Assert.Equal(1, Delta("APPLY", "201", "resource"));
        Assert.Equal(deletes, Delta("DELETE", "200", "resource"));
        Assert.Equal(1, Delta("WATCH", "200", "namespace"));
        Assert.All(after.Named("apiserver_request_total").Where(s => s.Label("resource") == "configmaps"),
            s => Assert.Equal(("", "v1"), (s.Label("group"), s.Label("version"))));

        // Histograms: upstream buckets, cumulative counts that never fall, +Inf equal to _count, one series per request.
        foreach (var family in new[] { "apiserver_request_duration_seconds", "apiserver_response_sizes", "etcd_request_duration_seconds", "apiserver_watch_events_sizes" })
        {
            Assert.Equal("histogram", after.Types[family]);
            var series = after.Named(family + "_bucket").GroupBy(s => s.SeriesKey("le")).ToList();
            Assert.NotEmpty(series);
            foreach (var s in series)
            {
                var buckets = s.Select(b => (Le: PrometheusText.ParseValue(b.Label("le")), b.Value)).ToList();
                Assert.Equal(buckets.OrderBy(b => b.Le).Select(b => b.Le), buckets.Select(b => b.Le));
                for (var i = 1; i < buckets.Count; i++) Assert.True(buckets[i].Value >= buckets[i - 1].Value, $"{family} {s.Key}: buckets fall");
                Assert.Equal(double.PositiveInfinity, buckets[^1].Le);
                var count = after.Named(family + "_count").Single(c => c.SeriesKey() == s.Key).Value;
                Assert.Equal(count, buckets[^1].Value);
                Assert.Contains(after.Named(family + "_sum"), c => c.SeriesKey() == s.Key);
                if (family.EndsWith("duration_seconds", StringComparison.Ordinal))
                    Assert.Equal(UpstreamDurationBuckets, buckets.Take(buckets.Count - 1).Select(b => b.Le));
            }
        }
        var getSeries = new (string, string)[] { ("verb", "GET"), ("resource", "configmaps"), ("scope", "resource") };
        Assert.Equal(gets + missing, after.Sum("apiserver_request_duration_seconds_count", getSeries) - before.Sum("apiserver_request_duration_seconds_count", getSeries));

        // Storage: the object count is the store's; every create reached the store once through the instrumented store
        // (the 409 one too, the store answered it; the dry run never reaches it).
        var stored = BackendHttp.Names(await BackendHttp.GetJsonAsync(http, "/api/v1/configmaps")).Count;
        Assert.Equal(stored, after.Sum("apiserver_storage_objects", ("resource", "configmaps")));
        Assert.Equal(creates + 1 + 1, after.Sum("etcd_requests_total", ("operation", "create"), ("type", "configmaps"))
            - before.Sum("etcd_requests_total", ("operation", "create"), ("type", "configmaps")));
        var namespaces = BackendHttp.Names(await BackendHttp.GetJsonAsync(http, "/api/v1/namespaces")).Count;
        Assert.Equal(namespaces, after.Sum("apiserver_storage_objects", ("resource", "namespaces")));

        // Watches and process metrics.
        Assert.True(after.Sum("apiserver_watch_events_total", ("kind", "ConfigMap")) >= creates - deletes);
        Assert.Equal(0, after.Sum("apiserver_registered_watchers", ("kind", "ConfigMap")));
        Assert.Equal(0, after.Sum("apiserver_longrunning_requests"));
        Assert.True(after.Sum("process_resident_memory_bytes") > 10_000_000);
        Assert.True(after.Sum("process_cpu_seconds_total") > 0);
        Assert.Contains(after.Named("apiserver_current_inflight_requests"), s => s.Label("request_kind") == "mutating");
    }

    [Fact]
    public async Task Metrics_WhileAWatchIsOpen_CountItAsRegisteredAndLongRunning()
    {
        await using var server = new ServerProcess();
        await server.StartAsync();
        using var http = BackendHttp.Client(server);
        using var watch = await http.GetAsync("/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=30", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, watch.StatusCode);
        var m = await ScrapeAsync(http);
        Assert.Equal(1, m.Sum("apiserver_registered_watchers", ("group", ""), ("version", "v1"), ("kind", "ConfigMap")));
        Assert.Equal(1, m.Sum("apiserver_longrunning_requests", ("verb", "WATCH"), ("resource", "configmaps"), ("scope", "namespace")));
        // The watch is long-running, so it is not in flight; the scrape itself is the one read in flight.
        Assert.Equal(1, m.Sum("apiserver_current_inflight_requests", ("request_kind", "readOnly")));
    }

    [Fact]
    public async Task Metrics_WithoutCredentials_Answers401_AndWithTenantLabels_SplitsRequestsPerTenant()
    {
        var dir = Directory.CreateTempSubdirectory("metrics-tenants-").FullName;
        var tokens = Path.Combine(dir, "tokens.csv");
        await File.WriteAllTextAsync(tokens, "alice-token-123,alice,1001,\"dev,system:masters\",acme,web\n");
        await using var server = new ServerProcess(null, "--token-auth-file", tokens, "--metrics-tenant-labels");
        await server.StartAsync();
        using var anonymous = server.CreateClient(authenticated: false);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics")).StatusCode);

        using var alice = server.CreateClient(authenticated: false);
        alice.DefaultRequestHeaders.Authorization = new("Bearer", "alice-token-123");
        using var admin = BackendHttp.Client(server);
        for (var i = 0; i < 3; i++) await BackendHttp.CreateConfigMapAsync(alice, "default", $"a{i}");
        await BackendHttp.CreateConfigMapAsync(admin, "default", "x");

        var m = await ScrapeAsync(admin);
        Assert.Equal(3, m.Sum("apiserver_request_total", ("verb", "POST"), ("resource", "configmaps"), ("tenant", "acme/web")));
        Assert.Equal(1, m.Sum("apiserver_request_total", ("verb", "POST"), ("resource", "configmaps"), ("tenant", "default-org/default-project")));
        Assert.Equal(3, m.Sum("apiserver_storage_objects", ("resource", "configmaps"), ("tenant", "acme/web")));
        Assert.Equal(1, m.Sum("apiserver_storage_objects", ("resource", "configmaps"), ("tenant", "default-org/default-project")));
    }
}
