namespace K8sHost.Bench.Measurement;

/// <summary>What one timed load phase produced: throughput over the measured window and per-operation latencies.</summary>
public sealed record LoadResult(long Operations, long Errors, TimeSpan Elapsed, Percentiles Latency, string? FirstError)
{
    public double PerSecond => Elapsed > TimeSpan.Zero ? Operations / Elapsed.TotalSeconds : 0;
}
