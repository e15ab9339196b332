using System.Security.Cryptography;
using k8s;
using k8s.KubeConfigModels;
using K8sHost.Registry.Cache;
using K8sHost.Registry.Catalog;
using K8sHost.Server.Hosting;
using K8sHost.Server.Options;
using K8sHost.Server.Security;
using K8sHost.Storage;
using K8sHost.Testing.Faults;
using K8sHost.Testing.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace K8sHost.Testing;

/// <summary>
/// A real Kubernetes-compatible API server running inside the test process: Kestrel on a free 127.0.0.1 port with
/// real TLS (a fresh CA per server), bearer-token authentication, the full registry and watch cache, and an embedded
/// SQLite store in a temporary directory that is deleted on dispose. Servers share nothing, so tests that each start
/// one can run in parallel.
/// <code>
/// await using var api = await TestApiServer.StartAsync();
/// await api.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new() { Name = "demo" } });
/// </code>
/// </summary>
public sealed partial class TestApiServer : IAsyncDisposable
{
    private const string AdminName = "admin";
    private readonly WebApplication _app;
    private readonly FaultInjectingStore _store;
    private readonly string _dataDir;
    private readonly bool _keepDataDir;
    private readonly string _caPem;
    private readonly IReadOnlyDictionary<string, string> _tokens;
    private readonly ResourceCatalog _catalog;
    private readonly List<IDisposable> _owned = [];
    private readonly object _ownedGate = new();
    private readonly CancellationTokenSource _stopping = new();
    private int _disposed;

    private TestApiServer(WebApplication app, FaultInjectingStore store, string dataDir, bool keepDataDir, Uri baseAddress,
        string caPem, IReadOnlyDictionary<string, string> tokens, string kubeconfigPath)
    {
        _app = app;
        _store = store;
        _dataDir = dataDir;
        _keepDataDir = keepDataDir;
        _caPem = caPem;
        _tokens = tokens;
        BaseAddress = baseAddress;
        KubeconfigPath = kubeconfigPath;
        _catalog = app.Services.GetRequiredService<ResourceCatalog>();
        Faults = new ServerFaults(store, app.Services.GetRequiredService<WatchCache>());
        Kubeconfig = KubernetesClientConfiguration.LoadKubeConfig(kubeconfigPath);
        Client = Track(new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigObject(Kubeconfig)));
        Http = Track(TrustedHttpClient.Create(baseAddress, caPem, tokens[AdminName]));
    }

    /// <summary>https://127.0.0.1:PORT of this server.</summary>
    public Uri BaseAddress { get; }

    /// <summary>A client authenticated as the admin (group system:masters), trusting this server's CA.</summary>
    public Kubernetes Client { get; }

    /// <summary>The admin kubeconfig (server URL, CA data, bearer token).</summary>
    public K8SConfiguration Kubeconfig { get; }

    /// <summary>The admin kubeconfig as a file, for kubectl, helm or code that reads KUBECONFIG.</summary>
    public string KubeconfigPath { get; }

    /// <summary>Fault injection: store outages and watch drops.</summary>
    public ServerFaults Faults { get; }

    /// <summary>The running host's services, for tests that need to look inside (the catalog, the watch cache, …).</summary>
    public IServiceProvider Services => _app.Services;

    internal HttpClient Http { get; }

    /// <summary>Starts a fresh server and returns once it serves requests and the initial objects are applied.</summary>
    public static async Task<TestApiServer> StartAsync(Action<TestApiServerOptions>? configure = null, CancellationToken ct = default)
    {
        var options = new TestApiServerOptions();
        configure?.Invoke(options);
        var dataDir = Path.Combine(Path.GetTempPath(), "k8shost-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        WebApplication? app = null;
        FaultInjectingStore? store = null;
        TestApiServer server;
        try
        {
            var tokens = NewTokens(options);
            var args = ServerArguments(options, dataDir, tokens);
            app = await ServerHost.BuildAsync(CommandLine.Parse(args), builder =>
            {
                if (options.ConfigureLogging is { } logging) logging(builder.Logging);
                else builder.Logging.ClearProviders();
                store = WrapStore(builder.Services);
                TuneWatchCache(builder.Services, options);
                options.ConfigureServer?.Invoke(builder);
            });
            await app.StartAsync(ct);

            // The server writes its kubeconfig before Kestrel has bound the port it was given (0 = any free one), so the
            // file is rewritten here with the port the OS chose.
            var port = BoundPort(app);
            var baseAddress = new Uri($"https://127.0.0.1:{port}");
            var caPem = app.Services.GetRequiredService<ServingCredentials>().CaPem
                ?? throw new InvalidOperationException("the test server always generates its own CA");
            var kubeconfigPath = Path.Combine(dataDir, "kubeconfig");
            KubeconfigWriter.Write(kubeconfigPath, baseAddress.ToString().TrimEnd('/'), caPem, tokens[AdminName]);

            server = new TestApiServer(app, store!, dataDir, options.KeepDataDirectory, baseAddress, caPem, tokens, kubeconfigPath);
        }
        catch
        {
            // Start failed before a TestApiServer owned the pieces: release them here.
            if (app is not null) await StopHostAsync(app);
            if (store is not null) await BackendOf(store).DisposeAsync();
            DeleteDirectory(dataDir);
            throw;
        }
        try
        {
            await server.ApplyInitialAsync(options, ct);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    /// <summary>
    /// A client authenticated as a user declared with <see cref="TestApiServerOptions.AddUser"/> (its token comes from
    /// the token file the server loaded). With RBAC, what it may do is decided by the roles bound to it.
    /// </summary>
    public Kubernetes ClientFor(string user)
    {
        var config = KubernetesClientConfiguration.BuildConfigFromConfigObject(KubeconfigFor(user));
        return Track(new Kubernetes(config));
    }

    /// <summary>A kubeconfig for a declared user, same cluster and CA as the admin's.</summary>
    public K8SConfiguration KubeconfigFor(string user)
    {
        if (!_tokens.TryGetValue(user, out var token))
            throw new ArgumentException($"user \"{user}\" was not declared: add it with options.AddUser(\"{user}\", groups…) before StartAsync", nameof(user));
        var path = Path.Combine(_dataDir, $"kubeconfig-{Guid.NewGuid():N}");
        KubeconfigWriter.Write(path, BaseAddress.ToString().TrimEnd('/'), _caPem, token, user);
        try { return KubernetesClientConfiguration.LoadKubeConfig(path); }
        finally { File.Delete(path); }
    }

    /// <summary>
    /// A raw HttpClient to <see cref="BaseAddress"/> that trusts only this server's CA and sends the admin's (or a
    /// declared user's) bearer token: for requests the SDK cannot express. Disposed with the server.
    /// </summary>
    public HttpClient CreateHttpClient(string? user = null)
    {
        var name = user ?? AdminName;
        if (!_tokens.TryGetValue(name, out var token))
            throw new ArgumentException($"user \"{name}\" was not declared: add it with options.AddUser before StartAsync", nameof(user));
        return Track(TrustedHttpClient.Create(BaseAddress, _caPem, token));
    }

    /// <summary>Stops the server (open watches end, in-flight requests finish), closes the store and deletes its files.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stopping.CancelAsync();
        lock (_ownedGate)
        {
            foreach (var d in _owned) d.Dispose();
            _owned.Clear();
        }
        await StopHostAsync(_app);
        await BackendOf(_store).DisposeAsync();
        _stopping.Dispose();
        if (!_keepDataDir) DeleteDirectory(_dataDir);
    }

    /// <summary>Cancelled when the server starts to stop, so helper loops (waits, recorders) end with it.</summary>
    internal CancellationToken Stopping => _stopping.Token;

    internal T Track<T>(T disposable) where T : IDisposable
    {
        lock (_ownedGate)
        {
            ObjectDisposedException.ThrowIf(_disposed == 1, this);
            _owned.Add(disposable);
        }
        return disposable;
    }

    internal void Untrack(IDisposable disposable)
    {
        lock (_ownedGate) _owned.Remove(disposable);
    }

    private static string[] ServerArguments(TestApiServerOptions options, string dataDir, IReadOnlyDictionary<string, string> tokens)
    {
        var args = new List<string>
        {
            "--data-dir", dataDir,
            "--bind-address", "127.0.0.1",
            "--secure-port", "0", // Kestrel picks a free port; no race between servers started in parallel
            "--storage", "sqlite://", // explicit, so FLAREDB_PD_ADDR or Server__Storage in the environment cannot redirect it
            "--write-kubeconfig", Path.Combine(dataDir, "kubeconfig"),
            "--token-auth-file", WriteTokenFile(options, dataDir, tokens),
        };
        args.AddRange(["--authorization-mode", options.AuthorizationMode.ToString()]);
        return [.. args];
    }

    private static Dictionary<string, string> NewTokens(TestApiServerOptions options)
    {
        var tokens = new Dictionary<string, string>(StringComparer.Ordinal) { [AdminName] = NewToken() };
        foreach (var u in options.Users)
        {
            if (u.Name == AdminName || !tokens.TryAdd(u.Name, NewToken()))
                throw new ArgumentException($"user \"{u.Name}\" is declared twice (\"{AdminName}\" is the built-in admin)");
        }
        return tokens;
    }

    private static string NewToken() => Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();

    // kube-apiserver's static token file: token,user,uid,"groups"[,organization,project] (the last two bind a tenant).
    private static string WriteTokenFile(TestApiServerOptions options, string dataDir, IReadOnlyDictionary<string, string> tokens)
    {
        var tenant = options.Tenant is { } t ? $",{t.Organization},{t.Project}" : "";
        var lines = new List<string> { $"{tokens[AdminName]},{AdminName},{AdminName},\"system:masters\"{tenant}" };
        foreach (var u in options.Users)
        {
            if (u.Name.Contains(',') || u.Groups.Any(g => g.Contains(',') || g.Contains('"')))
                throw new ArgumentException($"user \"{u.Name}\": names and groups cannot contain ',' or '\"' (token file format)");
            lines.Add($"{tokens[u.Name]},{u.Name},{u.Name},\"{string.Join(',', u.Groups)}\"{tenant}");
        }
        var path = Path.Combine(dataDir, "tokens.csv");
        File.WriteAllLines(path, lines);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    // The composition root registers the opened store as a singleton; the fault injector takes its place.
    /// <summary>
    /// The backend under the wrappers (fault injection, the server's metrics instrumentation): the one that holds files
    /// and connections, and that nobody else disposes, since the server registered it as an instance.
    /// </summary>
    private static IResourceStore BackendOf(FaultInjectingStore store)
    {
        var s = store.Inner;
        while (s is K8sHost.Api.Metrics.InstrumentedResourceStore instrumented) s = instrumented.Inner;
        return s;
    }

    private static FaultInjectingStore WrapStore(IServiceCollection services)
    {
        var registered = services.Last(d => d.ServiceType == typeof(IResourceStore));
        var inner = registered.ImplementationInstance as IResourceStore
            ?? throw new InvalidOperationException("the server no longer registers its store as an instance; K8sHost.Testing needs updating");
        var wrapper = new FaultInjectingStore(inner);
        services.Replace(ServiceDescriptor.Singleton<IResourceStore>(wrapper));
        return wrapper;
    }

    private static void TuneWatchCache(IServiceCollection services, TestApiServerOptions options)
    {
        if (options.WatchCacheWindow is null && options.WatchCacheMaxEvents is null) return;
        var cache = services.Last(d => d.ServiceType == typeof(WatchCacheOptions)).ImplementationInstance as WatchCacheOptions
            ?? throw new InvalidOperationException("the server no longer registers WatchCacheOptions as an instance; K8sHost.Testing needs updating");
        if (options.WatchCacheWindow is { } window) cache.EventWindow = window;
        if (options.WatchCacheMaxEvents is { } max) cache.MaxEvents = max;
    }

    private static int BoundPort(WebApplication app)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new Uri(address.Replace("://+", "://localhost", StringComparison.Ordinal)).Port;
    }

    private static async Task StopHostAsync(WebApplication app)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try { await app.StopAsync(cts.Token); }
        catch (OperationCanceledException) { }
        await app.DisposeAsync();
    }

    private static void DeleteDirectory(string dir)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
                return;
            }
            catch (IOException) { Thread.Sleep(50); }
            catch (UnauthorizedAccessException) { Thread.Sleep(50); }
        }
    }
}
