using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using K8sHost.Storage.FlareDb;
using Xunit;
using static K8sHost.Storage.Tests.FlareDb.FlareDbTestCluster;

namespace K8sHost.Storage.Tests.FlareDb;

public sealed class FlareDbDriverTests
{
    [Theory]
    [InlineData("flaredb://pd-host:2379", null, "pd-host:2379")]
    [InlineData("flaredb://pd-host", null, "pd-host:2379")]
    [InlineData("flaredb://h1:1,h2", null, "h1:1,h2:2379")]
    [InlineData("flaredb://", "a:1, b", "a:1,b:2379")]
    [InlineData("flaredb://url:5", "env:6", "url:5")]
    public void PdEndpoints_ComeFromTheUrl_OrElseFromFlareDbPdAddr(string url, string? environment, string expected)
    {
        Assert.Equal(expected.Split(','), FlareDbStoreDriver.PdEndpoints(url, environment));
    }

    [Fact]
    public async Task Driver_OpensTheStoreByUrl_AndRoundTripsAValue()
    {
        await using var cluster = await StartAsync("k8s/m");
        var driver = new FlareDbStoreDriver();

        await using var store = await driver.OpenAsync(cluster.Server.Url, Options());
        var created = await store.CreateAsync("k8s/o/p/configmaps/ns/a", B("v"));

        Assert.Equal("flaredb", driver.Scheme);
        Assert.Equal("flaredb", store.Name);
        Assert.Equal("v", S((await store.GetAsync("k8s/o/p/configmaps/ns/a")).Value!.Value));
        Assert.Equal(created.Value, await store.GetCurrentRevisionAsync());
    }

    [Fact]
    public async Task Driver_WithNothingListening_ThrowsStoreUnavailableWithAOneLineReason()
    {
        var port = FreePort();
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => new FlareDbStoreDriver().OpenAsync($"flaredb://127.0.0.1:{port}", Options()));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10));
        Assert.Contains($"127.0.0.1:{port}", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task ProtocolServer_RunAsAnExecutable_ServesTheDriver()
    {
        var port = FreePort();
        var dll = Path.Combine(AppContext.BaseDirectory, "K8sHost.FlareDb.ProtocolServer.dll");
        var start = new ProcessStartInfo("dotnet", [dll, "--port", $"{port}", "--stores", "1"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        try
        {
            using var ready = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var banner = await process.StandardOutput.ReadLineAsync(ready.Token);
            Assert.Contains($"PD on 127.0.0.1:{port}", banner);

            await using var store = await new FlareDbStoreDriver().OpenAsync($"flaredb://127.0.0.1:{port}", Options());
            await store.CreateAsync("k8s/o/p/pods/ns/x", B("from-exe"));
            Assert.Equal("from-exe", S((await store.GetAsync("k8s/o/p/pods/ns/x")).Value!.Value));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        }
    }

    private static int FreePort()
    {
        // The exe listens on port and port+1 (its single store); pick a pair that is free now.
        for (var attempt = 0; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            try
            {
                var next = new TcpListener(IPAddress.Loopback, port + 1);
                next.Start();
                next.Stop();
                return port;
            }
            catch (SocketException) when (attempt < 20)
            {
            }
        }
    }
}
