using K8sHost.Storage.Etcd;
using Xunit;
using static K8sHost.Storage.Tests.Etcd.EtcdTestHelpers;

namespace K8sHost.Storage.Tests.Etcd;

/// <summary>
/// Writes whose answer is lost after etcd applied them: the retry re-runs the compare Txn, reads the key back and
/// must recognise its own write instead of reporting KeyExists/Conflict.
/// </summary>
public sealed class EtcdAmbiguousWriteTests(EtcdFixture fixture) : IClassFixture<EtcdFixture>
{
    [Fact]
    public async Task Create_WhoseAnswerIsLost_IsRetriedAndReportedAsCreated()
    {
        await using var proxy = new CuttingProxy(fixture.Etcd.ClientPort);
        await using var store = new EtcdStore([proxy.Url], new StoreOptions());
        var key = UniquePrefix() + "a";
        await store.GetCurrentRevisionAsync(); // connection established before arming

        proxy.ArmCut();
        var created = await store.CreateAsync(key, Bytes("v1"));

        Assert.Equal(1, proxy.Cuts);
        Assert.Equal(StoreStatus.Ok, created.Status);
        var stored = (await store.GetAsync(key)).Value!;
        Assert.Equal(created.Value, stored.ModRevision);
        Assert.Equal(StoreStatus.KeyExists, (await store.CreateAsync(key, Bytes("v1"))).Status);
    }

    [Fact]
    public async Task Update_WhoseAnswerIsLost_IsRetriedAndReportedAsUpdated()
    {
        await using var proxy = new CuttingProxy(fixture.Etcd.ClientPort);
        await using var store = new EtcdStore([proxy.Url], new StoreOptions());
        var key = UniquePrefix() + "a";
        var created = (await store.CreateAsync(key, Bytes("v1"))).Value;

        proxy.ArmCut();
        var updated = await store.UpdateAsync(key, Bytes("v2"), created);

        Assert.Equal(1, proxy.Cuts);
        Assert.Equal(StoreStatus.Ok, updated.Status);
        Assert.Equal(updated.Value, (await store.GetAsync(key)).Value!.ModRevision);
        Assert.Equal(StoreStatus.Conflict, (await store.UpdateAsync(key, Bytes("v2"), created)).Status);
    }
}
