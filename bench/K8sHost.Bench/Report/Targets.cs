namespace K8sHost.Bench.Report;

/// <summary>
/// The goals from the performance issue, applied to the finished rows: fills each row's ceiling from the row it names,
/// then marks MET/MISSED. A row already in error (or missed for a reason of its own) keeps that status.
/// </summary>
public static class Targets
{
    private sealed record Goal(string Text, Func<BenchRow, bool?> IsMet);

    private static Goal RatioAtLeast(double x) => new($"ratio ≥ {x:0.0#}", r => r.Ratio is { } v ? v >= x : null);
    private static Goal ValueAtMost(double x, string unit) => new($"≤ {x:0.##} {unit}", r => r.Value is { } v && !double.IsNaN(v) ? v <= x : null);

    private static Goal? For(string id) => id switch
    {
        "embedded.get" or "etcd.get" => RatioAtLeast(0.7),
        "embedded.create.c64.vs-etcd" => RatioAtLeast(1.0),
        "etcd.create.c1" or "etcd.create.c16" or "etcd.create.c64" => RatioAtLeast(0.6),
        "embedded.list.full" or "etcd.list.full" => ValueAtMost(100, "ms p50"),
        "embedded.list.page" or "etcd.list.page" => ValueAtMost(10, "ms p50"),
        "embedded.watch.rate" or "etcd.watch.rate" => RatioAtLeast(0.5),
        "embedded.watch.latency" or "etcd.watch.latency" => ValueAtMost(100, "ms p99"),
        "embedded.rss.pods" or "etcd.rss.pods" => ValueAtMost(600, "MB"),
        "embedded.idle.rss" or "etcd.idle.rss" => ValueAtMost(100, "MB"),
        "embedded.start" or "etcd.start" => ValueAtMost(1.0, "s"),
        _ => null,
    };

    public static void Apply(BenchReport report)
    {
        var byId = report.Rows.ToDictionary(r => r.Id);
        for (var i = 0; i < report.Rows.Count; i++)
        {
            var row = report.Rows[i];
            if (row.CeilingId is not null)
            {
                row = byId.TryGetValue(row.CeilingId, out var ceiling) && ceiling.Status != RowStatus.Error
                    ? row with { CeilingName = ceiling.Figure, CeilingValue = ceiling.Value }
                    : row with { CeilingName = row.CeilingId + " (not measured)" };
            }
            if (For(row.Id) is { } goal)
            {
                var met = goal.IsMet(row);
                row = row with
                {
                    Target = goal.Text,
                    Status = row.Status is RowStatus.Error or RowStatus.Missed or RowStatus.Skipped ? row.Status
                        : met switch { true => RowStatus.Met, false => RowStatus.Missed, null => RowStatus.Skipped },
                };
            }
            report.Rows[i] = row;
        }
    }
}
