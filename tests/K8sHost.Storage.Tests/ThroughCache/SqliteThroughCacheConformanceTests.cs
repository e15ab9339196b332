using K8sHost.Storage.Tests.Sqlite;

namespace K8sHost.Storage.Tests.ThroughCache;

/// <summary>The conformance suite through the watch cache over a real SQLite file (as <see cref="SqliteConformanceTests"/>).</summary>
public sealed class SqliteThroughCacheConformanceTests : ThroughCacheConformanceTests
{
    private readonly TempDatabase _database = new();

    protected override async Task<IResourceStore> OpenBackendAsync() => await _database.OpenAsync();

    protected override async Task<IResourceStore> RestartBackendAsync() => await _database.OpenAsync();

    protected override Task OnDisposedAsync()
    {
        _database.Dispose();
        return Task.CompletedTask;
    }
}
