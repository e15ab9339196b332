using K8sHost.Storage.Etcd;
using Xunit;

namespace K8sHost.Storage.Tests.Etcd;

/// <summary>One single-member etcd for a test class; stopped and its data dir deleted afterwards.</summary>
public sealed class EtcdFixture : IAsyncLifetime
{
    public EtcdProcess Etcd { get; } = EtcdProcess.Single();

    public string Url => $"etcd://127.0.0.1:{Etcd.ClientPort}";

    public async Task InitializeAsync()
    {
        Etcd.Start();
        await Etcd.WaitHealthyAsync(TimeSpan.FromSeconds(20));
    }

    /// <summary>A store on this etcd; tests use unique key prefixes so they never see each other's keys.</summary>
    public EtcdStore CreateStore(TimeSpan? callTimeout = null) =>
        new([Etcd.ClientUrl], new StoreOptions { CallTimeout = callTimeout ?? TimeSpan.FromSeconds(5), ScanBatchSize = 3 });

    public async Task DisposeAsync() => await Etcd.DisposeAsync();
}
