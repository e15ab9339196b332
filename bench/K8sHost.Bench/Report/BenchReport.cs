namespace K8sHost.Bench.Report;

/// <summary>Everything one run produced; serialized as the .json result file.</summary>
public sealed record BenchReport
{
    public required DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset FinishedAt { get; set; }
    public required string Mode { get; init; }
    public required string Machine { get; init; }
    public string? LoadBefore { get; init; }
    public string? LoadAfter { get; set; }
    public List<BenchRow> Rows { get; init; } = [];
    public List<string> Errors { get; init; } = [];
    public List<string> Notes { get; init; } = [];
}
