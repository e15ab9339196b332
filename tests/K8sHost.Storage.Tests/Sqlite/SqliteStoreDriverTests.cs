using K8sHost.Storage.Sqlite;
using Xunit;

namespace K8sHost.Storage.Tests.Sqlite;

public sealed class SqliteStoreDriverTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public void ResolvePath_BareScheme_IsStateDbInTheDataDirectory() =>
        Assert.Equal(Path.Combine(_database.Directory, "state.db"), SqliteStoreDriver.ResolvePath("sqlite://", _database.Directory));

    [Fact]
    public void ResolvePath_ThreeSlashes_IsAnAbsolutePath() =>
        Assert.Equal("/var/lib/k8shost/x.db", SqliteStoreDriver.ResolvePath("sqlite:///var/lib/k8shost/x.db", _database.Directory));

    [Fact]
    public void ResolvePath_RelativePath_IsUnderTheDataDirectory() =>
        Assert.Equal(Path.Combine(_database.Directory, "sub", "x.db"), SqliteStoreDriver.ResolvePath("sqlite://sub/x.db", _database.Directory));

    [Fact]
    public void ResolvePath_OtherScheme_ThrowsStoreUnavailable() =>
        Assert.Throws<StoreUnavailableException>(() => SqliteStoreDriver.ResolvePath("etcd://127.0.0.1:2379", _database.Directory));

    [Fact]
    public async Task OpenAsync_BareScheme_CreatesAWorkingStoreInTheDataDirectory()
    {
        var driver = new SqliteStoreDriver();
        var options = new StoreOptions { DataDir = Path.Combine(_database.Directory, "data") };

        await using (var store = await driver.OpenAsync("sqlite://", options))
        {
            Assert.Equal("sqlite", store.Name);
            Assert.Equal(StoreStatus.Ok, (await store.CreateAsync("a", new byte[] { 1, 2, 3 })).Status);
        }

        Assert.Equal("sqlite", driver.Scheme);
        Assert.True(File.Exists(Path.Combine(options.DataDir, "state.db")));
    }

    [Fact]
    public async Task OpenAsync_PathThatIsADirectory_ThrowsStoreUnavailableWithOneLine()
    {
        var driver = new SqliteStoreDriver();

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() =>
            driver.OpenAsync("sqlite://" + _database.Directory, new StoreOptions()));

        Assert.DoesNotContain('\n', error.Message);
        Assert.StartsWith("sqlite:", error.Message);
    }
}
