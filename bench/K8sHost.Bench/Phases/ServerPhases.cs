using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using K8sHost.Bench.Ceilings;
using K8sHost.Bench.Measurement;
using K8sHost.Bench.Report;
using K8sHost.Bench.Server;
using K8sHost.Bench.Watch;

namespace K8sHost.Bench.Phases;

/// <summary>
/// Every measurement against the running server, in an order that keeps the data set small for the latency-sensitive
/// phases and grows it last (RSS at N pods). Each phase also records the server's CPU time per operation (from /proc),
/// which is the cheapest profile evidence available without dotnet-trace.
/// </summary>
public sealed class ServerPhases(ApiSession api, string prefix, string label, BenchOptions o, Progress progress, List<BenchRow> rows)
{
    private int Pid => api.Server.Pid;

    /// <summary>Process start → /readyz of each cold start made for this store (the last one is the server under test).</summary>
    public IReadOnlyList<TimeSpan> StartTimes { get; init; } = [];
    private static string S(long n) => n.ToString(CultureInfo.InvariantCulture);

    public async Task RunAllAsync()
    {
        var starts = StartTimes.Count > 0 ? StartTimes.Select(t => t.TotalSeconds).Order().ToArray() : [api.Server.StartToReady.TotalSeconds];
        rows.Add(new BenchRow
        {
            Id = $"{prefix}.start",
            Figure = $"{label}: process start → /readyz ok (median of {starts.Length})",
            Value = starts[starts.Length / 2],
            Unit = "s",
            LowerIsBetter = true,
            Note = $"cold starts: {string.Join(", ", starts.Select(x => x.ToString("0.00", CultureInfo.InvariantCulture)))} s; fresh data dir each (includes CA generation); `dotnet K8sHost.Server.dll`",
        });
        foreach (var ns in new[] { "bench-idle", "bench-get", "bench-create", "bench-update", "bench-list", "bench-watch", "bench-rss" })
            await api.EnsureNamespaceAsync(ns, CancellationToken.None);

        await Guard("idle", IdleAsync);
        await Guard("get", GetAsync);
        await Guard("create", CreateAsync);
        await Guard("update", UpdateAsync);
        await Guard("list", ListAsync);
        await Guard("watch", WatchAsync);
        await Guard("rss", RssAsync);
    }

    private async Task Guard(string phase, Func<Task> run)
    {
        try
        {
            if (api.Server.HasExited) throw new InvalidOperationException("server process has exited: " + api.Server.LogTail);
            await run();
        }
        catch (Exception e)
        {
            progress.Log($"{label}: {phase} failed: {e.Message}");
            rows.Add(new BenchRow { Id = $"{prefix}.{phase}.error", Figure = $"{label}: {phase}", Unit = "", Status = RowStatus.Error, Note = $"{e.GetType().Name}: {e.Message}" });
        }
    }

    /// <summary>Runs a phase and adds server/client CPU and server RSS after it to the row's evidence.</summary>
    private async Task<(T Result, Dictionary<string, double> Evidence)> WithServerCpu<T>(Func<Task<T>> run, Func<T, long> operations)
    {
        var window = CpuWindow.Start(Pid);
        var result = await run();
        return (result, window.Stop(operations(result)));
    }

    private static string CpuNote(Dictionary<string, double> e) => CpuWindow.Describe(e);

    private async Task IdleAsync()
    {
        progress.Log($"{label}: idle CPU ({o.IdleWindow.TotalSeconds:0} s, no load)");
        await Task.Delay(TimeSpan.FromSeconds(o.Smoke ? 0.2 : 2));
        var cpu0 = ProcStats.CpuTime(Pid);
        await Task.Delay(o.IdleWindow);
        var idleCpu = (ProcStats.CpuTime(Pid) - cpu0).TotalSeconds / o.IdleWindow.TotalSeconds * 100;
        rows.Add(new BenchRow
        {
            Id = $"{prefix}.idle.cpu",
            Figure = $"{label}: CPU with no requests ({o.IdleWindow.TotalSeconds:0} s)",
            Value = idleCpu,
            Unit = "% of a core",
            Note = $"RSS {ProcStats.RssMb(Pid):0} MB ({ProcStats.RssBreakdown(Pid)})",
        });

        progress.Log($"{label}: {o.IdleWritesPerSecond} writes/s for {o.IdleWindow.TotalSeconds:0} s");
        var rv = await api.CreatePodForUpdatesAsync("bench-idle", "idle", CancellationToken.None);
        var failures = 0;
        cpu0 = ProcStats.CpuTime(Pid);
        var writes = await Pacer.RunAsync(o.IdleWritesPerSecond, o.IdleWindow, async _ =>
        {
            var (next, _) = await api.UpdatePodAsync("bench-idle", "idle", rv, DateTime.UtcNow.Ticks, CancellationToken.None);
            if (next is not null) rv = next; else failures++;
        }, CancellationToken.None);
        var busyCpu = (ProcStats.CpuTime(Pid) - cpu0).TotalSeconds / o.IdleWindow.TotalSeconds * 100;
        var rss = ProcStats.RssMb(Pid);
        rows.Add(new BenchRow
        {
            Id = $"{prefix}.idle.writes.cpu",
            Figure = $"{label}: CPU at {o.IdleWritesPerSecond} writes/s",
            Value = busyCpu,
            Unit = "% of a core",
            Status = failures == writes ? RowStatus.Error : RowStatus.Info,
            Note = failures > 0 ? $"{failures}/{writes} writes failed" : $"{writes} updates",
        });
        rows.Add(new BenchRow
        {
            Id = $"{prefix}.idle.rss",
            Figure = $"{label}: RSS at {o.IdleWritesPerSecond} writes/s",
            Value = rss,
            Unit = "MB",
            LowerIsBetter = true,
            Note = ProcStats.RssBreakdown(Pid),
        });
    }

    private async Task GetAsync()
    {
        progress.Log($"{label}: GET c={o.GetConcurrency}");
        await api.CreatePodForUpdatesAsync("bench-get", "p0", CancellationToken.None);
        var path = ApiSession.PodsPath("bench-get") + "/p0";
        var (r, ev) = await WithServerCpu(
            () => LoadRunner.RunForAsync(o.GetConcurrency, o.Warmup, o.Window, async (_, _, ct) => await BenchHttp.CheckAsync(await api.Client.GetAsync(path, ct), ct)),
            x => x.Operations);
        rows.Add(StoreCeilings.Row($"{prefix}.get", $"{label}: GET pod/s c={o.GetConcurrency}", r) with
        {
            CeilingId = "ceiling.kestrel.get",
            Evidence = ev,
            Note = Join(StoreCeilings.Row("", "", r).Note, CpuNote(ev)),
        });
    }

    private async Task CreateAsync()
    {
        foreach (var c in o.Concurrencies)
        {
            progress.Log($"{label}: CREATE c={c}");
            var run = "c" + S(c) + "-" + Guid.NewGuid().ToString("N")[..6] + "-";
            var (r, ev) = await WithServerCpu(
                () => LoadRunner.RunForAsync(c, o.Warmup / 2, o.Window, (_, i, ct) => api.CreatePodAsync("bench-create", run + S(i), ct)),
                x => x.Operations);
            rows.Add(StoreCeilings.Row($"{prefix}.create.c{c}", $"{label}: CREATE pod/s c={c}", r) with
            {
                CeilingId = prefix == "etcd" ? $"ceiling.etcd.create.c{c}" : $"ceiling.sqlite.create.c{c}",
                Evidence = ev,
                Note = Join(StoreCeilings.Row("", "", r).Note, CpuNote(ev)),
            });
        }
    }

    private async Task UpdateAsync()
    {
        var c = o.UpdateConcurrency;
        progress.Log($"{label}: UPDATE (PUT with resourceVersion) c={c}");
        var rvs = new string[c];
        for (var w = 0; w < c; w++) rvs[w] = await api.CreatePodForUpdatesAsync("bench-update", "u" + S(w), CancellationToken.None);
        var (r, ev) = await WithServerCpu(
            () => LoadRunner.RunForAsync(c, o.Warmup / 2, o.Window, async (w, _, ct) =>
            {
                var (next, error) = await api.UpdatePodAsync("bench-update", "u" + S(w), rvs[w], DateTime.UtcNow.Ticks, ct);
                if (next is not null) rvs[w] = next;
                return error;
            }),
            x => x.Operations);
        rows.Add(StoreCeilings.Row($"{prefix}.update", $"{label}: UPDATE pod/s c={c}", r) with
        {
            CeilingId = prefix == "etcd" ? $"ceiling.etcd.create.c{c}" : $"ceiling.sqlite.create.c{c}",
            Evidence = ev,
            Note = Join(StoreCeilings.Row("", "", r).Note, CpuNote(ev) + "; ceiling is the raw store's create rate at the same concurrency"),
        });
    }

    private async Task ListAsync()
    {
        progress.Log($"{label}: filling {o.ListPods} pods for LIST");
        var fill = await LoadRunner.RunCountAsync(64, o.ListPods, TimeSpan.FromMinutes(3), (_, i, ct) => api.CreatePodAsync("bench-list", "l" + S(i), ct));
        if (fill.Operations < o.ListPods) throw new InvalidOperationException($"only {fill.Operations}/{o.ListPods} pods created for LIST: {fill.FirstError}");
        progress.Log($"{label}: filled at {fill.PerSecond:0} pods/s; LIST whole ×{o.ListRepeats}");

        var path = ApiSession.PodsPath("bench-list");
        var counted = await CountItemsAsync(path);
        if (counted != o.ListPods) throw new InvalidOperationException($"LIST returned {counted} items, expected {o.ListPods}");
        var (whole, ev) = await WithServerCpu(
            () => LoadRunner.RunCountAsync(1, o.ListRepeats, TimeSpan.FromMinutes(3), async (_, _, ct) => await BenchHttp.CheckAsync(await api.Client.GetAsync(path, ct), ct)),
            x => x.Operations);
        rows.Add(StoreCeilings.LatencyRow($"{prefix}.list.full", $"{label}: LIST {o.ListPods} pods (whole)", whole) with
        {
            CeilingId = prefix == "etcd" ? "ceiling.etcd.list.full" : "ceiling.sqlite.list.full",
            Evidence = ev,
            Note = Join(StoreCeilings.Row("", "", whole).Note, $"server {ev["serverCpuUsPerOp"] / 1000:0.0} ms CPU/list"),
        });

        progress.Log($"{label}: LIST limit={o.PageSize} pages ×{o.PageWalks} walks");
        var pageMs = new List<double>();
        var cpu0 = ProcStats.CpuTime(Pid);
        for (var walk = 0; walk < o.PageWalks; walk++)
        {
            string? token = null;
            var seen = 0;
            do
            {
                var url = $"{path}?limit={o.PageSize}" + (token is null ? "" : "&continue=" + Uri.EscapeDataString(token));
                var t0 = Stopwatch.GetTimestamp();
                using var resp = await api.Client.GetAsync(url);
                var body = await resp.Content.ReadAsByteArrayAsync();
                pageMs.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                if (!resp.IsSuccessStatusCode) throw new InvalidOperationException($"page: {(int)resp.StatusCode}");
                using var doc = JsonDocument.Parse(body);
                seen += doc.RootElement.GetProperty("items").GetArrayLength();
                token = doc.RootElement.GetProperty("metadata").TryGetProperty("continue", out var c) ? c.GetString() : null;
            } while (!string.IsNullOrEmpty(token));
            if (seen != o.ListPods) throw new InvalidOperationException($"paging saw {seen} pods, expected {o.ListPods}");
        }
        var pages = Percentiles.FromMs(pageMs);
        var pageCpu = (ProcStats.CpuTime(Pid) - cpu0).TotalMilliseconds / Math.Max(1, pageMs.Count);
        rows.Add(new BenchRow
        {
            Id = $"{prefix}.list.page",
            Figure = $"{label}: LIST limit={o.PageSize} page",
            Value = pages.P50Ms,
            Unit = "ms p50",
            P50Ms = pages.P50Ms,
            P99Ms = pages.P99Ms,
            LowerIsBetter = true,
            CeilingId = prefix == "etcd" ? "ceiling.etcd.list.page" : "ceiling.sqlite.list.page",
            Evidence = new() { ["serverCpuMsPerPage"] = pageCpu },
            Note = $"{pageMs.Count} pages; server {pageCpu:0.0} ms CPU/page",
        });
    }

    private async Task<int> CountItemsAsync(string path)
    {
        using var resp = await api.Client.GetAsync(path);
        var body = await resp.Content.ReadAsByteArrayAsync();
        if (!resp.IsSuccessStatusCode) throw new InvalidOperationException($"LIST: {(int)resp.StatusCode}");
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("items").GetArrayLength();
    }

    private async Task WatchAsync()
    {
        var names = Enumerable.Range(0, o.WatchWriterPods).Select(k => "w" + S(k)).ToArray();
        var rvs = new string[names.Length];
        for (var k = 0; k < names.Length; k++) rvs[k] = await api.CreatePodForUpdatesAsync("bench-watch", names[k], CancellationToken.None);
        var from = await api.ListResourceVersionAsync("bench-watch", CancellationToken.None);

        progress.Log($"{label}: connecting {o.Watchers} watchers");
        using var client = BenchHttp.Create(api.Server.BaseAddress, api.Server.LoadCa(), o.Watchers, api.Server.Token, timeout: Timeout.InfiniteTimeSpan);
        await using var fleet = new WatchFleet(client, $"{ApiSession.PodsPath("bench-watch")}?watch=true&resourceVersion={from}", o.Watchers);
        await fleet.ConnectAsync(TimeSpan.FromSeconds(o.Smoke ? 10 : 60));
        progress.Log($"{label}: {fleet.Connected} watchers connected; {o.WatchUpdatesPerSecond} updates/s for {o.WatchWindow.TotalSeconds:0} s");

        var failures = 0;
        string? firstFailure = null;
        fleet.CountFromTicks = DateTime.UtcNow.Ticks;
        var cpu = CpuWindow.Start(Pid);
        var started = Stopwatch.GetTimestamp();
        // One paced writer per pod, so updates of the same pod never conflict; together they make the target rate.
        var perWriter = (double)o.WatchUpdatesPerSecond / names.Length;
        var counts = await Task.WhenAll(names.Select((name, k) => Pacer.RunAsync(perWriter, o.WatchWindow, async _ =>
        {
            var (next, error) = await api.UpdatePodAsync("bench-watch", name, rvs[k], DateTime.UtcNow.Ticks, CancellationToken.None);
            if (next is not null) rvs[k] = next;
            else
            {
                Interlocked.Increment(ref failures);
                Interlocked.CompareExchange(ref firstFailure, error, null);
            }
        }, CancellationToken.None)));
        var writeElapsed = Stopwatch.GetElapsedTime(started);
        var sent = counts.Sum() - failures;
        var watchRows = await KestrelCeilings.WatchRowsAsync($"{prefix}.watch", label, fleet, sent, writeElapsed, o,
            failures > 0 ? $"{failures} writes failed: {firstFailure}" : null);
        var evidence = cpu.Stop(fleet.Received);
        rows.Add(watchRows[0] with { CeilingId = "ceiling.kestrel.watch.rate", Evidence = evidence, Note = watchRows[0].Note + "; " + CpuWindow.Describe(evidence) });
        rows.Add(watchRows[1] with { CeilingId = "ceiling.kestrel.watch.latency" });
    }

    private async Task RssAsync()
    {
        var remaining = Math.Max(0, o.RssPods - Interlocked.Read(ref api.PodsCreated));
        progress.Log($"{label}: creating {remaining} more pods (c=64, cap {o.RssFillCap.TotalMinutes:0.#} min) to hold {o.RssPods}");
        var run = Guid.NewGuid().ToString("N")[..6] + "-";
        var fill = await LoadRunner.RunCountAsync(64, remaining, o.RssFillCap, (_, i, ct) => api.CreatePodAsync("bench-rss", run + S(i), ct));
        await Task.Delay(TimeSpan.FromSeconds(o.Smoke ? 0.5 : 3));
        var held = Interlocked.Read(ref api.PodsCreated);
        var rss = ProcStats.RssMb(Pid);
        var reached = held >= o.RssPods;
        var idleRssMb = rows.FirstOrDefault(r => r.Id == $"{prefix}.idle.rss")?.Value ?? 0;
        rows.Add(new BenchRow
        {
            Id = $"{prefix}.rss.pods",
            Figure = $"{label}: RSS holding {o.RssPods:N0} pods",
            Value = rss,
            Unit = "MB",
            LowerIsBetter = true,
            P50Ms = fill.Latency.P50Ms,
            P99Ms = fill.Latency.P99Ms,
            Status = reached ? RowStatus.Info : RowStatus.Missed,
            Evidence = new() { ["podsHeld"] = held, ["fillCreatesPerSecond"] = fill.PerSecond, ["vmHwmMb"] = (ProcStats.StatusField(Pid, "VmHWM") ?? 0) / 1048576.0 },
            Note = (reached ? "" : $"only {held:N0} pods within the {o.RssFillCap.TotalMinutes:0.#} min cap; ")
                   + (remaining > 0 ? $"filled {fill.Operations:N0} at {fill.PerSecond:0} creates/s c=64 (p50/p99 are those creates); " : "") + ProcStats.RssBreakdown(Pid)
                   + $"; {(rss - idleRssMb) * 1024 / Math.Max(1, held):0.0} KiB RSS per pod above the {idleRssMb:0} MB idle RSS"
                   + (fill.Errors > 0 ? $"; {fill.Errors} errors, first: {fill.FirstError}" : ""),
        });
    }

    private static string Join(string? a, string b) => string.IsNullOrEmpty(a) ? b : a + "; " + b;
}
