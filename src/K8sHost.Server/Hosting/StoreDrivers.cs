using K8sHost.Storage;
using K8sHost.Storage.Etcd;
using K8sHost.Storage.FlareDb;
using K8sHost.Storage.Sqlite;

namespace K8sHost.Server.Hosting;

/// <summary>Every storage backend this server can run on, chosen by URL scheme.</summary>
public static class StoreDrivers
{
    public static readonly IReadOnlyList<IStoreDriver> All = [new SqliteStoreDriver(), new EtcdStoreDriver(), new FlareDbStoreDriver()];
}
