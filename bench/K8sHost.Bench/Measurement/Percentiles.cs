using System.Diagnostics;

namespace K8sHost.Bench.Measurement;

/// <summary>Latency percentiles in milliseconds, computed from raw Stopwatch tick samples (no histogram rounding).</summary>
public sealed record Percentiles(double P50Ms, double P99Ms, double MaxMs, long Samples)
{
    public static readonly Percentiles None = new(double.NaN, double.NaN, double.NaN, 0);

    public static Percentiles FromTicks(IEnumerable<long> stopwatchTicks) =>
        FromMs(stopwatchTicks.Select(t => t * 1000.0 / Stopwatch.Frequency));

    public static Percentiles FromMs(IEnumerable<double> ms)
    {
        var sorted = ms.ToArray();
        if (sorted.Length == 0) return None;
        Array.Sort(sorted);
        return new Percentiles(At(sorted, 0.50), At(sorted, 0.99), sorted[^1], sorted.Length);
    }

    // Nearest-rank percentile: the smallest sample with at least p of the samples at or below it.
    private static double At(double[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
