using Xunit;

namespace K8sHost.Storage.Tests.Sqlite;

public sealed class SqliteLifecycleTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task CallsAfterDispose_ThrowStoreUnavailable()
    {
        var store = await _database.OpenAsync();
        await store.DisposeAsync();

        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.CreateAsync("a", new byte[] { 1 }));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.GetAsync("a"));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.ListAsync("", null, 0));
    }

    [Fact]
    public async Task OpenWatch_EndsWithStoreUnavailable_WhenTheStoreIsDisposed()
    {
        var store = await _database.OpenAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var watching = Task.Run(async () =>
        {
            await foreach (var _ in store.WatchAsync("pods/", 0, cts.Token))
            {
            }
        });
        await Task.Delay(100);

        await store.DisposeAsync();

        await Assert.ThrowsAsync<StoreUnavailableException>(() => watching.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task DisposeTwice_IsHarmless()
    {
        var store = await _database.OpenAsync();
        await store.DisposeAsync();

        await store.DisposeAsync();

        Assert.True(File.Exists(_database.Path));
    }
}
