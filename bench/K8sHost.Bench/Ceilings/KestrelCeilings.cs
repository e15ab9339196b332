using System.Globalization;
using K8sHost.Bench.Measurement;
using K8sHost.Bench.Report;
using K8sHost.Bench.Watch;

namespace K8sHost.Bench.Ceilings;

/// <summary>GET and watch fan-out against the bare Kestrel endpoint, with the same client shapes the server phases use.</summary>
public static class KestrelCeilings
{
    public static async Task<BenchRow> GetAsync(BareKestrel kestrel, TestCertificates certs, BenchOptions o, Progress progress)
    {
        progress.Log($"bare Kestrel: GET c={o.GetConcurrency}");
        using var client = BenchHttp.Create(kestrel.Address, certs.Ca, o.GetConcurrency, bearerToken: null);
        var r = await LoadRunner.RunForAsync(o.GetConcurrency, o.Warmup, o.Window,
            async (_, _, ct) => await BenchHttp.CheckAsync(await client.GetAsync("/pod", ct), ct));
        return StoreCeilings.Row("ceiling.kestrel.get", $"bare Kestrel GET pod/s c={o.GetConcurrency}", r);
    }

    /// <summary>
    /// GET and watch fan-out against the bare Kestrel in its own process (see <see cref="CeilingHost"/>). The GET row is
    /// informational (the GET target uses the in-process endpoint, as specified); the watch rows are the fan-out ceiling.
    /// </summary>
    public static async Task<BenchRow[]> SeparateProcessAsync(BenchOptions o, Progress progress)
    {
        await using var host = await CeilingHost.StartAsync(TimeSpan.FromSeconds(60));
        progress.Log($"bare Kestrel (own process): GET c={o.GetConcurrency}");
        BenchRow get;
        using (var client = BenchHttp.Create(host.Address, host.Ca, o.GetConcurrency, bearerToken: null))
        {
            var r = await LoadRunner.RunForAsync(o.GetConcurrency, o.Warmup, o.Window,
                async (_, _, ct) => await BenchHttp.CheckAsync(await client.GetAsync("/pod", ct), ct));
            get = StoreCeilings.Row("ceiling.kestrel-process.get", $"bare Kestrel (own process) GET pod/s c={o.GetConcurrency}", r);
        }

        progress.Log($"bare Kestrel (own process): {o.Watchers} watchers, {o.WatchUpdatesPerSecond} events/s for {o.WatchWindow.TotalSeconds:0} s");
        using var watchClient = BenchHttp.Create(host.Address, host.Ca, o.Watchers, bearerToken: null, timeout: Timeout.InfiniteTimeSpan);
        using var writeClient = BenchHttp.Create(host.Address, host.Ca, o.WatchWriterPods, bearerToken: null);
        await using var fleet = new WatchFleet(watchClient, "/watch", o.Watchers);
        await fleet.ConnectAsync(TimeSpan.FromSeconds(o.Smoke ? 10 : 60));
        await Task.Delay(200); // subscriptions register when the handler starts streaming
        progress.Log($"bare Kestrel: {fleet.Connected} watchers connected");

        var failures = 0;
        fleet.CountFromTicks = DateTime.UtcNow.Ticks;
        var cpu = CpuWindow.Start(host.Pid);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        // Same writer shape as the server phase: one paced writer per pod, each send stamped just before it goes out.
        var perWriter = (double)o.WatchUpdatesPerSecond / o.WatchWriterPods;
        var counts = await Task.WhenAll(Enumerable.Range(0, o.WatchWriterPods).Select(k => Pacer.RunAsync(perWriter, o.WatchWindow, async n =>
        {
            var line = PodJson.WatchLine("bench-watch", "w" + k.ToString(CultureInfo.InvariantCulture), (1000 + n).ToString(CultureInfo.InvariantCulture), DateTime.UtcNow.Ticks);
            using var content = new ByteArrayContent(line);
            if (await BenchHttp.CheckAsync(await writeClient.PostAsync("/publish", content), CancellationToken.None) is not null) Interlocked.Increment(ref failures);
        }, CancellationToken.None)));
        var writeElapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        var rows = await WatchRowsAsync("ceiling.kestrel.watch", "bare Kestrel fan-out (own process)", fleet, counts.Sum() - failures, writeElapsed, o,
            failures > 0 ? $"{failures} publishes failed" : null);
        var evidence = cpu.Stop(fleet.Received);
        return [get, rows[0] with { Evidence = evidence, Note = rows[0].Note + "; " + CpuWindow.Describe(evidence) }, rows[1]];
    }

    /// <summary>
    /// Waits for the stragglers (at most 3 s), then reports events/s delivered (counted events ÷ write duration) and
    /// the delivery-latency percentiles. Shared with the server phase so both are computed identically.
    /// </summary>
    public static async Task<BenchRow[]> WatchRowsAsync(string id, string label, WatchFleet fleet, long sent, TimeSpan writeElapsed, BenchOptions o, string? extraNote)
    {
        var expected = sent * fleet.Connected;
        var until = DateTime.UtcNow.AddSeconds(3);
        while (fleet.Received < expected && DateTime.UtcNow < until) await Task.Delay(50);
        var received = fleet.Received;
        var latency = Percentiles.FromMs(fleet.Latencies);
        var note = $"{received:N0}/{expected:N0} events delivered to {fleet.Connected} watchers ({sent} writes)";
        if (fleet.EndedEarly > 0) note += $"; {fleet.EndedEarly} watches ended early";
        if (fleet.FirstError is not null) note += $"; {fleet.FirstError}";
        if (extraNote is not null) note += "; " + extraNote;
        var failed = fleet.Connected == 0 || received == 0;
        return
        [
            new BenchRow
            {
                Id = id + ".rate", Figure = $"{label}: events/s delivered ({o.Watchers} watchers × {o.WatchUpdatesPerSecond}/s)",
                Value = received / Math.Max(writeElapsed.TotalSeconds, o.WatchWindow.TotalSeconds), Unit = "/s", P50Ms = latency.P50Ms, P99Ms = latency.P99Ms,
                Status = failed ? RowStatus.Error : RowStatus.Info, Note = note,
            },
            new BenchRow
            {
                Id = id + ".latency", Figure = $"{label}: delivery latency p99", Value = latency.P99Ms, Unit = "ms",
                P50Ms = latency.P50Ms, P99Ms = latency.P99Ms, LowerIsBetter = true,
                Status = failed ? RowStatus.Error : RowStatus.Info,
                Note = $"max {latency.MaxMs:0.0} ms over {latency.Samples:N0} deliveries",
            },
        ];
    }
}
