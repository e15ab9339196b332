using System.Diagnostics;
using K8sHost.Storage.Etcd;
using Xunit;

namespace K8sHost.Storage.Tests.Etcd;

public sealed class EtcdStoreDriverTests
{
    [Fact]
    public void ParseEndpoints_SplitsCommaSeparatedMembers_AndDefaultsThePort()
    {
        var endpoints = EtcdStoreDriver.ParseEndpoints("etcd://10.0.0.1:2379, 10.0.0.2:32379,etcd3/");

        Assert.Equal(["http://10.0.0.1:2379/", "http://10.0.0.2:32379/", "http://etcd3:2379/"], endpoints.Select(e => e.ToString()));
    }

    [Theory]
    [InlineData("sqlite://x")]
    [InlineData("etcd://")]
    [InlineData("etcd://host:notaport")]
    public void ParseEndpoints_RejectsBadUrls_WithStoreUnavailable(string url)
    {
        Assert.Throws<StoreUnavailableException>(() => EtcdStoreDriver.ParseEndpoints(url));
    }

    [Fact]
    public async Task Open_WhenNothingListens_FailsWithinTheCallTimeout()
    {
        var port = FreePort();
        var watch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() =>
            new EtcdStoreDriver().OpenAsync($"etcd://127.0.0.1:{port}", new StoreOptions { CallTimeout = TimeSpan.FromSeconds(1) }));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"took {watch.Elapsed}");
        Assert.DoesNotContain('\n', error.Message);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
