using K8sHost.E2E.Tests.Infrastructure;
using Xunit;

namespace K8sHost.E2E.Tests.Backends;

/// <summary>
/// The real server process on a storage backend that lives outside it (started first, stopped last). The server can
/// be restarted on the same data dir (certificates, token) and backend, which must keep every object.
/// </summary>
public abstract class BackendServerFixture : IAsyncLifetime
{
    private ServerProcess? _server;

    public ServerProcess Server => _server ?? throw new InvalidOperationException("the fixture has not started");

    public Infrastructure.Kubectl Kubectl => new(Server);

    /// <summary>The --storage value the server runs with.</summary>
    public abstract string StorageUrl { get; }

    public abstract string BackendName { get; }

    protected abstract Task StartBackendAsync();

    protected abstract ValueTask StopBackendAsync();

    public async Task InitializeAsync()
    {
        await StartBackendAsync();
        _server = new ServerProcess(null, "--storage", StorageUrl);
        await _server.StartAsync(TimeSpan.FromSeconds(45));
    }

    /// <summary>SIGTERM the server and start a new process on the same data dir and backend.</summary>
    public async Task RestartServerAsync()
    {
        var old = Server;
        Assert.Equal(0, await old.TerminateAsync(TimeSpan.FromSeconds(20)));
        // Not disposed: ServerProcess.DisposeAsync deletes the data dir the new process reuses.
        _server = new ServerProcess(old.DataDir, "--storage", StorageUrl);
        await _server.StartAsync(TimeSpan.FromSeconds(45));
    }

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        await StopBackendAsync();
    }
}

/// <summary>The server on a real single-member etcd.</summary>
public sealed class EtcdServerFixture : BackendServerFixture
{
    public EtcdMember Etcd { get; } = new();

    public override string StorageUrl => Etcd.StorageUrl;

    public override string BackendName => "etcd";

    protected override Task StartBackendAsync() => Etcd.StartAsync();

    protected override ValueTask StopBackendAsync() => Etcd.DisposeAsync();
}

/// <summary>The server on the FlareDB protocol test server (PD + two stores, regions split), run in this process.</summary>
public sealed class FlareDbServerFixture : BackendServerFixture
{
    private K8sHost.FlareDb.ProtocolServer.FlareDbProtocolTestServer? _flareDb;

    /// <summary>The protocol test server (PD + stores); StopAsync/StartAsync model an outage with the data kept.</summary>
    public K8sHost.FlareDb.ProtocolServer.FlareDbProtocolTestServer FlareDb => _flareDb ?? throw new InvalidOperationException("FlareDB not started");

    public override string StorageUrl => _flareDb?.Url ?? throw new InvalidOperationException("FlareDB not started");

    public override string BackendName => "flaredb";

    // Splits inside the keys the server writes (k8s/{org}/{project}/{resource}/{ns}/{name}), so configmaps of
    // namespaces before and after "m" live in different regions led by different stores, and pods in a third one:
    // all-namespace lists and the watch feed cross regions.
    private static readonly string[] Splits =
        ["k8s/default-org/default-project/configmaps/m", "k8s/default-org/default-project/pods/"];

    protected override async Task StartBackendAsync() =>
        _flareDb = await K8sHost.FlareDb.ProtocolServer.FlareDbProtocolTestServer.StartNewAsync(Splits, storeCount: 2);

    protected override async ValueTask StopBackendAsync()
    {
        if (_flareDb is not null) await _flareDb.DisposeAsync();
    }
}

/// <summary>The default embedded SQLite store: the baseline the distributed backends are measured against.</summary>
public sealed class SqliteServerFixture : BackendServerFixture
{
    public override string StorageUrl => "sqlite://";

    public override string BackendName => "sqlite";

    protected override Task StartBackendAsync() => Task.CompletedTask;

    protected override ValueTask StopBackendAsync() => ValueTask.CompletedTask;
}
