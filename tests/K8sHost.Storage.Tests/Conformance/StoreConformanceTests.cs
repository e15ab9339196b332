using System.Text;
using Xunit;

namespace K8sHost.Storage.Tests.Conformance;

/// <summary>
/// The behaviour every <see cref="IResourceStore"/> must have, written once and inherited by each backend's test class
/// (as k8s.io/apiserver's storage/testing and kine do). Every test works under its own random key prefix, so
/// backends may share one server between tests; only <see cref="Compact_ThenOldReadsAndWatches_ReturnCompacted"/>
/// affects other keys' history, and only history older than what it wrote itself.
/// </summary>
public abstract partial class StoreConformanceTests : IAsyncLifetime
{
    protected IResourceStore Store { get; private set; } = null!;

    /// <summary>Unique per test, ends with '/'.</summary>
    protected string Prefix { get; } = $"conformance/{Guid.NewGuid():N}/";

    /// <summary>Opens a store for one test. It is disposed after the test.</summary>
    protected abstract Task<IResourceStore> CreateStoreAsync();

    /// <summary>
    /// Closes <paramref name="current"/> and opens the same data again (a process restart), or returns null when
    /// the backend cannot be reopened from a test.
    /// </summary>
    protected virtual Task<IResourceStore>? ReopenStoreAsync(IResourceStore current) => null;

    /// <summary>Makes the backend unreachable (stop the server, cut the network), or null when it cannot.</summary>
    protected virtual Task? SimulateOutageAsync() => null;

    /// <summary>Undoes <see cref="SimulateOutageAsync"/>.</summary>
    protected virtual Task? EndOutageAsync() => null;

    /// <summary>Upper bound for one call to notice an outage (the backend's call timeout plus slack).</summary>
    protected virtual TimeSpan OutageDetectionTimeout => TimeSpan.FromSeconds(15);

    /// <summary>
    /// Size of the value in the large-value test: 1.5 MiB, etcd's default request limit. A layer that stores values in
    /// an encoded form (bigger than the bytes it is given) lowers it so the stored record has that size.
    /// </summary>
    protected virtual int LargeValueBytes => 1536 * 1024;

    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    public async Task DisposeAsync()
    {
        await Store.DisposeAsync();
        await OnDisposedAsync();
    }

    /// <summary>Runs after the store is disposed (delete temp files, stop servers).</summary>
    protected virtual Task OnDisposedAsync() => Task.CompletedTask;

    protected string K(string name) => Prefix + name;

    protected static byte[] B(string text) => Encoding.UTF8.GetBytes(text);

    protected static string S(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    protected async Task<long> MustCreateAsync(string key, string value)
    {
        var result = await Store.CreateAsync(key, B(value));
        Assert.Equal(StoreStatus.Ok, result.Status);
        return result.Value;
    }

    protected async Task<long> MustUpdateAsync(string key, string value, long expected)
    {
        var result = await Store.UpdateAsync(key, B(value), expected);
        Assert.Equal(StoreStatus.Ok, result.Status);
        return result.Value;
    }

    protected async Task<long> MustDeleteAsync(string key)
    {
        var result = await Store.DeleteAsync(key, 0);
        Assert.Equal(StoreStatus.Ok, result.Status);
        return result.Value;
    }

    protected async Task<List<KeyValue>> ListAllAsync(string prefix, long revision = 0)
    {
        var result = await Store.ListAsync(prefix, null, 0, revision);
        Assert.Equal(StoreStatus.Ok, result.Status);
        Assert.False(result.Value!.More);
        return result.Value.Items.ToList();
    }
}
