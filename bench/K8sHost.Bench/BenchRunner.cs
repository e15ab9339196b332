using System.Diagnostics;
using System.Text.Json;
using K8sHost.Bench.Ceilings;
using K8sHost.Bench.Phases;
using K8sHost.Bench.Report;
using K8sHost.Bench.Server;
using K8sHost.Storage;
using K8sHost.Storage.Etcd;
using K8sHost.Storage.Sqlite;

namespace K8sHost.Bench;

/// <summary>
/// The whole run: ceilings first (bare Kestrel GET and watch fan-out, raw SQLite, raw etcd), then the server on the
/// embedded store, then (with --etcd) on etcd; then targets, the table, and the result files. Public so the E2E smoke
/// test can call it in-process.
/// </summary>
public static class BenchRunner
{
    public static async Task<(BenchReport Report, string JsonPath, string MarkdownPath)> RunAsync(BenchOptions o, TextWriter output)
    {
        var progress = new Progress(output);
        var report = new BenchReport
        {
            StartedAt = DateTimeOffset.UtcNow,
            Mode = o.Smoke ? "smoke" : "full",
            Machine = $"{Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}",
            LoadBefore = LoadAverage(),
        };
        progress.Log($"K8sHost bench ({report.Mode}); load average {report.LoadBefore}");
        var rows = report.Rows;
        var serverDll = ServerUnderTest.LocateDll(o.ServerDll);
        report.Notes.Add($"Server: {serverDll}; GC: {ServerGcSetting(serverDll)}"
                         + (o.ServerEnv.Count > 0 ? "; server environment: " + string.Join(", ", o.ServerEnv.Select(e => $"{e.Key}={e.Value}")) : "") + ".");
        report.Notes.Add("Client and server share the machine's cores; GET/CREATE clients use HTTP/1.1 keep-alive, one connection per worker; watchers use one connection each.");

        await Phase(report, progress, "ceiling.kestrel", async () =>
        {
            using var certs = TestCertificates.Create();
            await using var kestrel = await BareKestrel.StartAsync(certs, PodJson.ServedBytes("bench-get", "p0"));
            rows.Add(await KestrelCeilings.GetAsync(kestrel, certs, o, progress));
        });
        await Phase(report, progress, "ceiling.kestrel-process", async () => rows.AddRange(await KestrelCeilings.SeparateProcessAsync(o, progress)));

        await Phase(report, progress, "ceiling.sqlite", async () =>
        {
            var dir = Directory.CreateTempSubdirectory("k8shost-bench-sqlite-").FullName;
            try
            {
                await using var store = await SqliteStore.OpenAsync(new SqliteStoreSettings { Path = Path.Combine(dir, SqliteStoreDriver.DefaultFileName) });
                await StoreCeilings.RunAsync(store, "raw SqliteStore", "ceiling.sqlite", includeGets: false, o, rows, progress);
            }
            finally
            {
                TryDelete(dir);
            }
        });

        EtcdProcess? etcd = null;
        if (EtcdProcess.IsInstalled())
        {
            await Phase(report, progress, "ceiling.etcd", async () =>
            {
                etcd = await EtcdProcess.StartAsync(TimeSpan.FromSeconds(20));
                await using var store = new EtcdStore([new Uri($"http://127.0.0.1:{etcd.ClientPort}")], new StoreOptions());
                await StoreCeilings.RunAsync(store, "raw etcd (EtcdStore)", "ceiling.etcd", includeGets: true, o, rows, progress);
            });
        }
        else
        {
            rows.Add(new BenchRow { Id = "ceiling.etcd", Figure = "raw etcd", Unit = "", Status = RowStatus.Skipped, Note = "etcd is not installed" });
        }

        try
        {
            await ServerRunAsync(report, progress, o, serverDll, "embedded", "server (embedded SQLite)", storageUrl: null);
            if (rows.FirstOrDefault(r => r.Id == "embedded.create.c64") is { } c64)
            {
                rows.Add(c64 with
                {
                    Id = "embedded.create.c64.vs-etcd",
                    Figure = "server (embedded SQLite): CREATE pod/s c=64 vs raw etcd puts",
                    CeilingId = "ceiling.etcd.create.c64",
                    Note = "same measurement as the c=64 row, compared with raw etcd puts/s c=64",
                });
            }

            if (o.Etcd)
            {
                if (etcd is null)
                    rows.Add(new BenchRow { Id = "etcd.skipped", Figure = "server (etcd)", Unit = "", Status = RowStatus.Skipped, Note = "etcd is not installed or did not start" });
                else
                    await ServerRunAsync(report, progress, o, serverDll, "etcd", "server (etcd)", etcd.StoreUrl);
            }
        }
        finally
        {
            if (etcd is not null) await etcd.DisposeAsync();
        }

        Targets.Apply(report);
        foreach (var row in rows.Where(r => r.Status == RowStatus.Error)) report.Errors.Add($"{row.Id}: {row.Note}");
        report.LoadAfter = LoadAverage();
        report.FinishedAt = DateTimeOffset.UtcNow;
        var (json, md) = ReportWriter.Write(report, o.OutDir);
        output.WriteLine();
        output.WriteLine(ReportWriter.Table(report));
        output.WriteLine($"Load average before {report.LoadBefore}, after {report.LoadAfter}; {(report.FinishedAt - report.StartedAt).TotalSeconds:0} s.");
        output.WriteLine($"Wrote {json} and {md}");
        return (report, json, md);
    }

    private static async Task ServerRunAsync(BenchReport report, Progress progress, BenchOptions o, string serverDll, string prefix, string label, string? storageUrl)
    {
        await Phase(report, progress, prefix, async () =>
        {
            // Start-up time is noisy on a shared machine: two extra cold starts (fresh data dirs) give a median of three.
            var starts = new List<TimeSpan>();
            for (var k = 0; k < (o.Smoke ? 0 : 2); k++)
            {
                await using var cold = await ServerUnderTest.StartAsync(serverDll, storageUrl, TimeSpan.FromSeconds(60), o.ServerEnv);
                starts.Add(cold.StartToReady);
            }
            progress.Log($"{label}: starting");
            await using var server = await ServerUnderTest.StartAsync(serverDll, storageUrl, TimeSpan.FromSeconds(60), o.ServerEnv);
            progress.Log($"{label}: ready in {server.StartToReady.TotalMilliseconds:0} ms (pid {server.Pid})");
            using var api = new ApiSession(server, connections: 64);
            starts.Add(server.StartToReady);
            await new ServerPhases(api, prefix, label, o, progress, report.Rows) { StartTimes = starts }.RunAllAsync();
        });
    }

    /// <summary>Runs one block; an exception becomes an ERROR row instead of ending the run.</summary>
    private static async Task Phase(BenchReport report, Progress progress, string id, Func<Task> run)
    {
        try
        {
            await run();
        }
        catch (Exception e)
        {
            progress.Log($"{id} failed: {e.Message}");
            report.Rows.Add(new BenchRow { Id = id + ".error", Figure = id, Unit = "", Status = RowStatus.Error, Note = $"{e.GetType().Name}: {e.Message}" });
        }
    }

    private static string? LoadAverage()
    {
        try { return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return null; }
    }

    private static string ServerGcSetting(string serverDll)
    {
        var config = Path.ChangeExtension(serverDll, ".runtimeconfig.json");
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(config));
            var props = doc.RootElement.GetProperty("runtimeOptions").TryGetProperty("configProperties", out var p) ? p : default;
            var server = props.ValueKind == JsonValueKind.Object && props.TryGetProperty("System.GC.Server", out var s) && s.GetBoolean();
            var env = Environment.GetEnvironmentVariable("DOTNET_gcServer");
            return (server ? "Server GC" : "Workstation GC") + (env is null ? "" : $" (DOTNET_gcServer={env} in the environment)");
        }
        catch (Exception e) when (e is IOException or JsonException or KeyNotFoundException)
        {
            return "unknown";
        }
    }

    private static void TryDelete(string dir)
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>Default output directory: bench/results under the repository root when run from inside it.</summary>
    public static string ResolveOutDir(string outDir)
    {
        if (Path.IsPathRooted(outDir)) return outDir;
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "K8sHost.Rest.sln"))) return Path.Combine(dir.FullName, outDir);
        return Path.GetFullPath(outDir);
    }
}
