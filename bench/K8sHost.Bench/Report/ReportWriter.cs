using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace K8sHost.Bench.Report;

/// <summary>Writes the run as &lt;timestamp&gt;.json (machine-readable) and &lt;timestamp&gt;.md (the table), and renders the table.</summary>
public static class ReportWriter
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    public static (string Json, string Markdown) Write(BenchReport report, string outDir)
    {
        Directory.CreateDirectory(outDir);
        var stamp = report.StartedAt.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + (report.Mode == "smoke" ? "-smoke" : "");
        var json = Path.Combine(outDir, stamp + ".json");
        var md = Path.Combine(outDir, stamp + ".md");
        File.WriteAllText(json, JsonSerializer.Serialize(report, Json));
        File.WriteAllText(md, Markdown(report));
        return (json, md);
    }

    public static BenchReport? Read(string path) => JsonSerializer.Deserialize<BenchReport>(File.ReadAllText(path), Json);

    public static string Markdown(BenchReport r)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"# K8sHost benchmark ({r.Mode}) — {r.StartedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Machine: {r.Machine}. Load average before: {r.LoadBefore}; after: {r.LoadAfter}. Duration: {(r.FinishedAt - r.StartedAt).TotalSeconds:0} s.");
        sb.AppendLine();
        sb.AppendLine(Table(r));
        var met = r.Rows.Count(x => x.Status == RowStatus.Met);
        var missed = r.Rows.Where(x => x.Status == RowStatus.Missed).ToList();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Targets: {met} met, {missed.Count} missed{(missed.Count > 0 ? ": " + string.Join("; ", missed.Select(m => m.Figure)) : "")}.");
        if (r.Notes.Count > 0)
        {
            sb.AppendLine();
            foreach (var n in r.Notes) sb.AppendLine("- " + n);
        }
        if (r.Errors.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("Errors:");
            foreach (var e in r.Errors) sb.AppendLine("- " + e);
        }
        return sb.ToString();
    }

    public static string Table(BenchReport r)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| Ratio | Figure | Value | Ceiling | p50 ms | p99 ms | Target | Status | Notes |");
        sb.AppendLine("|---:|---|---:|---|---:|---:|---|---|---|");
        foreach (var row in r.Rows)
        {
            var ceiling = row.CeilingName is null ? "—" : $"{row.CeilingName}: {Num(row.CeilingValue)}";
            var status = row.Status switch
            {
                RowStatus.Met => "MET",
                RowStatus.Missed => "**MISSED**",
                RowStatus.Skipped => "SKIPPED",
                RowStatus.Error => "**ERROR**",
                _ => "",
            };
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"| {(row.Ratio is { } ratio ? ratio.ToString("0.00", CultureInfo.InvariantCulture) : "—")} | {row.Figure} | {Num(row.Value)} {row.Unit} | {ceiling} | {Num(row.P50Ms)} | {Num(row.P99Ms)} | {row.Target ?? ""} | {status} | {row.Note?.Replace("|", "/", StringComparison.Ordinal) ?? ""} |");
        }
        return sb.ToString();
    }

    private static string Num(double? v) => v switch
    {
        null => "—",
        { } x when double.IsNaN(x) => "—",
        { } x when Math.Abs(x) >= 100 => x.ToString("#,0", CultureInfo.InvariantCulture),
        { } x when Math.Abs(x) >= 10 => x.ToString("0.0", CultureInfo.InvariantCulture),
        { } x => x.ToString("0.00", CultureInfo.InvariantCulture),
    };
}
