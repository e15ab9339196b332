using System.Text;
using System.Text.Json.Nodes;
using K8sHost.Registry.Cache;
using K8sHost.Registry.Catalog;
using K8sHost.Registry.Contracts;
using K8sHost.Registry.Generic;
using K8sHost.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace K8sHost.UnitTests.Registry;

/// <summary>A real SQLite store in a temp dir, a started watch cache and the generic registry over the test kinds.</summary>
internal sealed class RegistryHarness : IAsyncDisposable
{
    private readonly string _dir;

    private RegistryHarness(string dir, SqliteStore store, WatchCache cache, GenericRegistry registry)
    {
        _dir = dir; Store = store; Cache = cache; Registry = registry;
    }

    public SqliteStore Store { get; }
    public WatchCache Cache { get; }
    public GenericRegistry Registry { get; }
    public RequestContext Rc { get; } = RequestContext.System;
    public static CancellationToken Ct => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    public static async Task<RegistryHarness> StartAsync(Action<WatchCacheOptions>? configure = null, bool withDefaultNamespace = true,
        ResourceCatalog? catalog = null)
    {
        var dir = Path.Combine(Path.GetTempPath(), "k8shost-registry-" + Guid.NewGuid().ToString("N"));
        var store = await SqliteStore.OpenAsync(new SqliteStoreSettings
        {
            Path = Path.Combine(dir, "state.db"),
            RunBackgroundCompactor = false,
            WatchPollInterval = TimeSpan.FromMilliseconds(50),
            ProgressInterval = TimeSpan.FromMilliseconds(100),
        });
        var options = new WatchCacheOptions();
        configure?.Invoke(options);
        catalog ??= TestKinds.Catalog();
        var cache = new WatchCache(store, catalog, options, NullLogger<WatchCache>.Instance);
        await cache.StartAsync(CancellationToken.None);
        var registry = new GenericRegistry(store, cache, catalog, NullLogger<GenericRegistry>.Instance);
        var h = new RegistryHarness(dir, store, cache, registry);
        if (withDefaultNamespace) await h.CreateNamespaceAsync("default");
        return h;
    }

    public Task<WriteResult> CreateNamespaceAsync(string name) =>
        Registry.CreateAsync(Rc, TestKinds.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } },
            new WriteOptions(), Ct);

    public Task<WriteResult> CreateConfigMapAsync(string name, string ns = "default", string? labels = null, string data = "{}")
    {
        var obj = Obj("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{}}""");
        obj["metadata"]!["name"] = name;
        if (labels is not null) obj["metadata"]!["labels"] = JsonNode.Parse(labels);
        obj["data"] = JsonNode.Parse(data);
        return Registry.CreateAsync(Rc, TestKinds.ConfigMaps, ns, obj, new WriteOptions(), Ct);
    }

    public Task<WriteResult> CreatePodAsync(string name, string ns = "default", string? labels = null, string node = "")
    {
        var obj = Obj("""{"metadata":{},"spec":{"containers":[{"name":"c","image":"nginx"}]}}""");
        obj["metadata"]!["name"] = name;
        if (labels is not null) obj["metadata"]!["labels"] = JsonNode.Parse(labels);
        if (node.Length > 0) obj["spec"]!["nodeName"] = node;
        return Registry.CreateAsync(Rc, TestKinds.Pods, ns, obj, new WriteOptions(), Ct);
    }

    public static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();

    public static PatchRequest Patch(PatchType type, string body) => new(type, Encoding.UTF8.GetBytes(body));

    public async ValueTask DisposeAsync()
    {
        await Cache.DisposeAsync();
        await Store.DisposeAsync();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}

internal static class ObjectVersionExtensions
{
    public static JsonObject Json(this ObjectVersion ov) => ov.ToJsonObject();

    public static string? At(this ObjectVersion ov, params string[] path)
    {
        JsonNode? n = ov.ToJsonObject();
        foreach (var p in path) n = n is JsonArray a && int.TryParse(p, out var i) ? a[i] : n?[p];
        return n?.ToString();
    }
}
