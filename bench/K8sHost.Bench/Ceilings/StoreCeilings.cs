using System.Globalization;
using System.Text;
using K8sHost.Bench.Measurement;
using K8sHost.Bench.Report;
using K8sHost.Storage;

namespace K8sHost.Bench.Ceilings;

/// <summary>
/// Raw store throughput with no API server in front: creates (and, for etcd, gets) of the same ~2 KiB pod bytes at
/// each concurrency, then a whole-prefix list and 500-key pages over as many keys as the API LIST phase uses.
/// </summary>
public static class StoreCeilings
{
    public static async Task RunAsync(IResourceStore store, string label, string idPrefix, bool includeGets, BenchOptions o, List<BenchRow> rows, Progress progress)
    {
        var value = Encoding.UTF8.GetBytes(PodJson.Create("bench", "p"));
        foreach (var c in o.Concurrencies)
        {
            progress.Log($"{label}: creates c={c}");
            var run = Guid.NewGuid().ToString("N")[..8];
            var r = await LoadRunner.RunForAsync(c, o.Warmup / 2, o.StoreWindow, async (w, i, ct) =>
            {
                var result = await store.CreateAsync($"/bench/{run}/c{c}/{i}", value, ct);
                return result.IsOk ? null : result.Status.ToString();
            });
            rows.Add(Row($"{idPrefix}.create.c{c}", $"{label} creates/s c={c}", r));
        }

        if (includeGets)
        {
            for (var k = 0; k < 64; k++) await store.CreateAsync($"/bench/get/{k}", value);
            foreach (var c in o.Concurrencies)
            {
                progress.Log($"{label}: gets c={c}");
                var r = await LoadRunner.RunForAsync(c, o.Warmup / 2, o.StoreWindow, async (w, i, ct) =>
                {
                    var result = await store.GetAsync($"/bench/get/{w}", ct);
                    return result.IsOk ? null : result.Status.ToString();
                });
                rows.Add(Row($"{idPrefix}.get.c{c}", $"{label} gets/s c={c}", r));
            }
        }

        progress.Log($"{label}: filling {o.ListPods} keys for list");
        var fill = await LoadRunner.RunCountAsync(64, o.ListPods, TimeSpan.FromMinutes(2), async (w, i, ct) =>
        {
            var result = await store.CreateAsync($"/bench/list/{i.ToString("D6", CultureInfo.InvariantCulture)}", value, ct);
            return result.IsOk ? null : result.Status.ToString();
        });
        var whole = await LoadRunner.RunCountAsync(1, o.ListRepeats, TimeSpan.FromMinutes(2), async (_, _, ct) =>
        {
            var result = await store.ListAsync("/bench/list/", null, 0, 0, ct);
            return result.IsOk && result.Value!.Items.Count == fill.Operations ? null : $"list returned {result.Value?.Items.Count} of {fill.Operations}";
        });
        rows.Add(LatencyRow($"{idPrefix}.list.full", $"{label} list {o.ListPods} keys", whole));

        var pageLatencies = new List<double>();
        for (var walk = 0; walk < o.PageWalks; walk++)
        {
            string? after = null;
            while (true)
            {
                var t0 = System.Diagnostics.Stopwatch.GetTimestamp();
                var page = await store.ListAsync("/bench/list/", after, o.PageSize);
                pageLatencies.Add(System.Diagnostics.Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                if (!page.IsOk || !page.Value!.More || page.Value.Items.Count == 0) break;
                after = page.Value.Items[^1].Key;
            }
        }
        var pages = Percentiles.FromMs(pageLatencies);
        rows.Add(new BenchRow
        {
            Id = $"{idPrefix}.list.page",
            Figure = $"{label} list page of {o.PageSize}",
            Value = pages.P50Ms,
            Unit = "ms p50",
            P50Ms = pages.P50Ms,
            P99Ms = pages.P99Ms,
            LowerIsBetter = true,
        });
    }

    public static BenchRow Row(string id, string figure, LoadResult r) => new()
    {
        Id = id,
        Figure = figure,
        Value = r.PerSecond,
        Unit = "/s",
        P50Ms = r.Latency.P50Ms,
        P99Ms = r.Latency.P99Ms,
        Status = r.Operations == 0 ? RowStatus.Error : RowStatus.Info,
        Note = r.Errors > 0 ? $"{r.Errors} errors, first: {r.FirstError}" : null,
    };

    public static BenchRow LatencyRow(string id, string figure, LoadResult r) => new()
    {
        Id = id,
        Figure = figure,
        Value = r.Latency.P50Ms,
        Unit = "ms p50",
        P50Ms = r.Latency.P50Ms,
        P99Ms = r.Latency.P99Ms,
        LowerIsBetter = true,
        Status = r.Operations == 0 ? RowStatus.Error : RowStatus.Info,
        Note = r.Errors > 0 ? $"{r.Errors} errors, first: {r.FirstError}" : null,
    };
}
