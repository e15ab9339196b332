using System.Diagnostics;
using k8s;
using Xunit.Abstractions;

namespace K8sHost.Testing.Tests;

/// <summary>
/// The figures the README reports (StartAsync to a usable client, managed memory per running server), printed to the
/// test output. They are measurements, not assertions: on a shared 2-core machine timings swing with other load.
/// What is asserted is that every server started this way works.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class StartupFiguresTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Twenty_sequential_starts_and_25_servers_held_at_once_all_serve_requests()
    {
        await (await TestApiServer.StartAsync()).DisposeAsync(); // warm-up: JIT and first-use costs
        var starts = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            var sw = Stopwatch.StartNew();
            await using var api = await TestApiServer.StartAsync();
            var namespaces = await api.Client.CoreV1.ListNamespaceAsync(); // "to a usable client"
            sw.Stop();
            Assert.NotEmpty(namespaces.Items);
            starts.Add(sw.Elapsed.TotalMilliseconds);
        }
        starts.Sort();

        const int held = 25;
        var baseline = SettledManagedBytes();
        var parallel = Stopwatch.StartNew();
        var servers = await Task.WhenAll(Enumerable.Range(0, held).Select(_ => TestApiServer.StartAsync()));
        parallel.Stop();
        try
        {
            var lists = await Task.WhenAll(servers.Select(s => s.Client.CoreV1.ListNamespaceAsync()));
            var perServer = (SettledManagedBytes() - baseline) / held;

            Assert.All(lists, l => Assert.Contains(l.Items, n => n.Metadata.Name == "default"));
            output.WriteLine($"StartAsync → first list, 20 sequential: p50 {starts[10]:0} ms, min {starts[0]:0} ms, max {starts[^1]:0} ms");
            output.WriteLine($"{held} servers started in parallel in {parallel.ElapsedMilliseconds} ms; managed memory per held server: {perServer / 1024.0 / 1024.0:0.0} MB");
            output.WriteLine($"load average at the end: {File.ReadAllText("/proc/loadavg").Split(' ')[0]} (2 cores, shared with other agents)");
        }
        finally
        {
            await Task.WhenAll(servers.Select(s => s.DisposeAsync().AsTask()));
        }
    }

    private static long SettledManagedBytes()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
