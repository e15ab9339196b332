using System.Diagnostics;
using k8s;
using k8s.Models;
using Xunit.Abstractions;

namespace K8sHost.Testing.Tests;

/// <summary>Its own collection: the leak loop measures process-wide threads and memory, so nothing may run beside it.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "serial (process-wide measurements)";
}

[Collection(SerialCollection.Name)]
public sealed class IsolationAndLeakTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Servers_started_in_parallel_get_distinct_ports_and_share_no_objects()
    {
        const int count = 8;
        var servers = await Task.WhenAll(Enumerable.Range(0, count).Select(_ => TestApiServer.StartAsync()));
        try
        {
            await Task.WhenAll(servers.Select((api, i) => api.Client.CoreV1.CreateNamespacedConfigMapAsync(
                new V1ConfigMap { Metadata = new() { Name = "same-name" }, Data = new Dictionary<string, string> { ["owner"] = i.ToString() } }, "default")));
            var seen = await Task.WhenAll(servers.Select(api => api.Client.CoreV1.ListNamespacedConfigMapAsync("default")));

            Assert.Equal(count, servers.Select(s => s.BaseAddress.Port).Distinct().Count());
            Assert.Equal(count, servers.Select(s => s.KubeconfigPath).Distinct().Count());
            for (var i = 0; i < count; i++)
            {
                var cm = Assert.Single(seen[i].Items, c => c.Metadata.Name == "same-name");
                Assert.Equal(i.ToString(), cm.Data["owner"]);
            }
        }
        finally
        {
            await Task.WhenAll(servers.Select(s => s.DisposeAsync().AsTask()));
        }
    }

    [Fact]
    public async Task Starting_and_stopping_50_servers_leaks_no_threads_files_memory_or_data_directories()
    {
        // Warm up: JIT, thread pool growth, the SDK's static caches.
        for (var i = 0; i < 3; i++) await StartUseStopAsync();
        var before = Measure();
        var starts = new List<double>();
        for (var i = 0; i < 50; i++) starts.Add(await StartUseStopAsync());
        var after = Measure();

        output.WriteLine($"before: {before}; after 50 start/stop: {after}");
        starts.Sort();
        output.WriteLine($"StartAsync p50 {starts[starts.Count / 2]:0} ms, p90 {starts[starts.Count * 9 / 10]:0} ms (noisy: shared machine)");
        Assert.True(after.Threads <= before.Threads + 10, $"threads grew: {before.Threads} → {after.Threads}");
        Assert.True(after.OpenFiles <= before.OpenFiles + 20, $"open file descriptors grew: {before.OpenFiles} → {after.OpenFiles}; most common: {OpenFileKinds()}");
        Assert.True(after.ManagedBytes <= before.ManagedBytes + 20 * 1024 * 1024, $"managed memory grew: {before.ManagedBytes / 1024 / 1024} MB → {after.ManagedBytes / 1024 / 1024} MB");
        Assert.Equal(before.DataDirs, after.DataDirs);
    }

    private static async Task<double> StartUseStopAsync()
    {
        var sw = Stopwatch.StartNew();
        await using var api = await TestApiServer.StartAsync();
        sw.Stop();
        await api.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "x" } }, "default");
        await using var recorder = await api.RecordEventsAsync<V1ConfigMap>("default");
        return sw.Elapsed.TotalMilliseconds;
    }

    private sealed record Snapshot(int Threads, int OpenFiles, long ManagedBytes, int DataDirs)
    {
        public override string ToString() => $"{Threads} threads, {OpenFiles} fds, {ManagedBytes / 1024 / 1024} MB managed, {DataDirs} k8shost-test-* dirs";
    }

    private static Snapshot Measure()
    {
        // Let finalizers and pooled connections settle so what is left is really held.
        for (var i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        Thread.Sleep(500);
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        var fds = Directory.Exists("/proc/self/fd") ? Directory.GetFiles("/proc/self/fd").Length : 0;
        var dirs = Directory.GetDirectories(Path.GetTempPath(), "k8shost-test-*").Length;
        return new Snapshot(self.Threads.Count, fds, GC.GetTotalMemory(forceFullCollection: true), dirs);
    }

    /// <summary>What the open descriptors point at, most common first: names the leak when the count grows.</summary>
    private static string OpenFileKinds() =>
        string.Join(", ", Directory.GetFiles("/proc/self/fd")
            .Select(f => { try { return new FileInfo(f).LinkTarget ?? "?"; } catch (IOException) { return "?"; } })
            .Select(t => t.StartsWith("socket:", StringComparison.Ordinal) ? "socket" : t.StartsWith("anon_inode:", StringComparison.Ordinal) ? t : Path.GetFileName(t))
            .GroupBy(t => t).OrderByDescending(g => g.Count()).Take(6).Select(g => $"{g.Key} ×{g.Count()}"));
}
