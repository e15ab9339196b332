using K8sHost.Storage.Tests.Conformance;

namespace K8sHost.Storage.Tests.Sqlite;

/// <summary>The shared storage conformance suite on a real SQLite file in a temp directory.</summary>
public sealed class SqliteConformanceTests : StoreConformanceTests
{
    private readonly TempDatabase _database = new();

    protected override async Task<IResourceStore> CreateStoreAsync() => await _database.OpenAsync();

    protected override Task<IResourceStore>? ReopenStoreAsync(IResourceStore current) => ReopenAsync(current);

    protected override Task OnDisposedAsync()
    {
        _database.Dispose();
        return Task.CompletedTask;
    }

    private async Task<IResourceStore> ReopenAsync(IResourceStore current)
    {
        await current.DisposeAsync();
        return await _database.OpenAsync();
    }
}
