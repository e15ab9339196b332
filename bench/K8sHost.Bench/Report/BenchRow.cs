namespace K8sHost.Bench.Report;

/// <summary>Whether a row's figure satisfies its target.</summary>
public enum RowStatus { Info, Met, Missed, Skipped, Error }

/// <summary>
/// One line of the results table. <see cref="Ratio"/> = Value / CeilingValue for throughput rows; targets compare either
/// the ratio (ratio targets) or the value itself (latency/memory/time targets).
/// </summary>
public sealed record BenchRow
{
    public required string Id { get; init; }
    public required string Figure { get; init; }
    public double? Value { get; init; }
    public required string Unit { get; init; }
    public string? CeilingId { get; init; }
    public string? CeilingName { get; init; }
    public double? CeilingValue { get; init; }
    /// <summary>For latency/memory rows (smaller is better) the ratio is ceiling/value, so a ratio is always "fraction of the ceiling's performance".</summary>
    public bool LowerIsBetter { get; init; }
    public double? Ratio => Value is { } v && CeilingValue is { } c && c > 0 && v > 0 ? (LowerIsBetter ? c / v : v / c) : null;
    public double? P50Ms { get; init; }
    public double? P99Ms { get; init; }
    public string? Target { get; init; }
    public RowStatus Status { get; init; } = RowStatus.Info;
    public string? Note { get; init; }
    /// <summary>Extra measurements (server CPU per operation, RSS after the phase, GC settings...) for profiling.</summary>
    public Dictionary<string, double> Evidence { get; init; } = [];
}
