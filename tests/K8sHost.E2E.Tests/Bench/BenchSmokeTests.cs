using K8sHost.Bench;
using K8sHost.Bench.Report;
using K8sHost.Bench.Server;
using Xunit;
using Xunit.Abstractions;

namespace K8sHost.E2E.Tests.Bench;

/// <summary>
/// CI guard for the benchmark: its smoke mode (same phases, tiny counts) must run against the real server process and
/// produce a result file holding every row, with no phase in error. Numbers are not asserted: CI machines vary.
/// </summary>
[Collection("kubectl")]
public sealed class BenchSmokeTests(ITestOutputHelper output)
{
    // The rows the issue asks for; a phase that throws produces "<phase>.error" instead, so a missing id means a broken phase.
    private static readonly string[] EmbeddedRows =
    [
        "ceiling.kestrel.get", "ceiling.kestrel-process.get", "ceiling.kestrel.watch.rate", "ceiling.kestrel.watch.latency",
        "ceiling.sqlite.create.c1", "ceiling.sqlite.create.c16", "ceiling.sqlite.create.c64",
        "ceiling.sqlite.list.full", "ceiling.sqlite.list.page",
        "embedded.start", "embedded.idle.cpu", "embedded.idle.writes.cpu", "embedded.idle.rss", "embedded.get",
        "embedded.create.c1", "embedded.create.c16", "embedded.create.c64", "embedded.create.c64.vs-etcd", "embedded.update",
        "embedded.list.full", "embedded.list.page", "embedded.watch.rate", "embedded.watch.latency", "embedded.rss.pods",
    ];

    private static readonly string[] EtcdCeilingRows =
    [
        "ceiling.etcd.create.c1", "ceiling.etcd.create.c16", "ceiling.etcd.create.c64",
        "ceiling.etcd.get.c1", "ceiling.etcd.get.c16", "ceiling.etcd.get.c64", "ceiling.etcd.list.full", "ceiling.etcd.list.page",
    ];

    [Fact]
    public async Task SmokeRun_WritesResultFilesWithEveryRowAndNoErrors()
    {
        var outDir = Directory.CreateTempSubdirectory("k8shost-bench-smoke-").FullName;
        try
        {
            var log = new StringWriter();
            var options = BenchOptions.Parse(["--smoke", "--out", outDir]);
            var (_, jsonPath, markdownPath) = await BenchRunner.RunAsync(options, log).WaitAsync(TimeSpan.FromMinutes(3));
            output.WriteLine(log.ToString());

            Assert.True(File.Exists(markdownPath), "markdown table written");
            var report = ReportWriter.Read(jsonPath);
            Assert.NotNull(report);
            Assert.Equal("smoke", report.Mode);
            Assert.Empty(report.Errors);
            Assert.DoesNotContain(report.Rows, r => r.Status == RowStatus.Error);

            var expected = EtcdProcess.IsInstalled() ? EmbeddedRows.Concat(EtcdCeilingRows) : EmbeddedRows.Append("ceiling.etcd");
            var ids = report.Rows.Select(r => r.Id).ToHashSet();
            Assert.All(expected, id => Assert.Contains(id, ids));
            // Every measured row carries a number, and every row with a target was judged.
            Assert.All(report.Rows.Where(r => r.Status != RowStatus.Skipped), r => Assert.True(r.Value is { } v && !double.IsNaN(v), $"{r.Id} has no value"));
            Assert.All(report.Rows.Where(r => r.Target is not null), r => Assert.True(r.Status is RowStatus.Met or RowStatus.Missed, $"{r.Id} not judged"));
            Assert.Contains("| Ratio | Figure |", File.ReadAllText(markdownPath));
        }
        finally
        {
            try { Directory.Delete(outDir, recursive: true); } catch (IOException) { }
        }
    }
}
