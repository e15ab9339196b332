using System.Text;
using K8sHost.FlareDb.ProtocolServer;
using K8sHost.FlareDb.ProtocolServer.Cluster;
using K8sHost.Storage.FlareDb;

namespace K8sHost.Storage.Tests.FlareDb;

/// <summary>
/// A running <see cref="FlareDbProtocolTestServer"/> on free loopback ports plus helpers to open FlareDB stores
/// against it with test-sized timeouts (short call timeout, short intent grace and breaker, fast polling).
/// </summary>
internal sealed class FlareDbTestCluster : IAsyncDisposable
{
    private readonly List<IResourceStore> _opened = [];

    private FlareDbTestCluster(FlareDbProtocolTestServer server) => Server = server;

    public FlareDbProtocolTestServer Server { get; }

    public ClusterState State => Server.Cluster;

    public static async Task<FlareDbTestCluster> StartAsync(params string[] splitKeys) =>
        new(await FlareDbProtocolTestServer.StartNewAsync(splitKeys));

    public static StoreOptions Options(int scanBatchSize = 1000) => new()
    {
        ScanBatchSize = scanBatchSize,
        CallTimeout = TimeSpan.FromSeconds(1),
        CompactionWindow = TimeSpan.FromMinutes(5),
    };

    public static FlareDbSettings Settings => new()
    {
        IntentGrace = TimeSpan.FromSeconds(1),
        PollInterval = TimeSpan.FromMilliseconds(50),
        ProgressInterval = TimeSpan.FromMilliseconds(300),
        BreakDuration = TimeSpan.FromSeconds(2),
        BreakerMinimumThroughput = 3,
        BreakerSampling = TimeSpan.FromSeconds(3),
    };

    public async Task<FlareDbStore> OpenAsync(int scanBatchSize = 1000, FlareDbSettings? settings = null)
    {
        var store = await FlareDbStore.OpenAsync([$"127.0.0.1:{Server.PdPort}"], Options(scanBatchSize), settings ?? Settings, CancellationToken.None);
        _opened.Add(store);
        return store;
    }

    public int Calls(string method) => State.Calls.TryGetValue(method, out var n) ? n : 0;

    public static byte[] B(string text) => Encoding.UTF8.GetBytes(text);

    public static string S(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _opened)
        {
            await store.DisposeAsync();
        }

        await Server.DisposeAsync();
    }
}
