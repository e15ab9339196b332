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

    public static async Task<BenchRow[]> WatchAsync(BareKestrel kestrel, TestCertificates certs, BenchOptions o, Progress progress)
    {
        progress.Log($"bare Kestrel: {o.Watchers} watchers, {o.WatchUpdatesPerSecond} events/s for {o.WatchWindow.TotalSeconds:0} s");
        using var client = BenchHttp.Create(kestrel.Address, certs.Ca, o.Watchers, bearerToken: null, timeout: Timeout.InfiniteTimeSpan);
        await using var fleet = new WatchFleet(client, "/watch", o.Watchers);
        await fleet.ConnectAsync(TimeSpan.FromSeconds(o.Smoke ? 10 : 60));
        // Subscriptions register on the server when the handler runs; wait until the hub sees them all.
        var until = DateTime.UtcNow.AddSeconds(5);
        while (kestrel.Hub.Count < fleet.Connected && DateTime.UtcNow < until) await Task.Delay(20);
        progress.Log($"bare Kestrel: {fleet.Connected} watchers connected");

        fleet.CountFromTicks = DateTime.UtcNow.Ticks;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var sent = await Pacer.RunAsync(o.WatchUpdatesPerSecond, o.WatchWindow, k =>
        {
            var name = "w" + (k % o.WatchWriterPods).ToString(CultureInfo.InvariantCulture);
            kestrel.Hub.Publish(PodJson.WatchLine("bench-watch", name, (1000 + k).ToString(CultureInfo.InvariantCulture), DateTime.UtcNow.Ticks));
            return Task.CompletedTask;
        }, CancellationToken.None);
        var writeElapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        return await WatchRowsAsync("ceiling.kestrel.watch", "bare Kestrel fan-out", fleet, sent, writeElapsed, o, extraNote: kestrel.Hub.Dropped > 0 ? $"{kestrel.Hub.Dropped} slow watchers dropped" : null);
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
