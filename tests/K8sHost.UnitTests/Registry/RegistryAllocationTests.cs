using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;
using K8sHost.Registry.Cache;
using K8sHost.Registry.Catalog;
using K8sHost.Registry.Contracts;
using K8sHost.Registry.Generic;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;
using static K8sHost.UnitTests.Registry.RegistryHarness;

namespace K8sHost.UnitTests.Registry;

public sealed class RegistryAllocationTests
{
    /// <summary>Hands out one "port" per object from a pool, like service node ports, and records releases.</summary>
    private sealed class PortStrategy : IResourceStrategy, IAllocatingStrategy
    {
        public readonly ConcurrentDictionary<int, string> InUse = new();
        private int _next = 30000;

        public bool HasStatus => false;
        public IReadOnlyList<object?> GetCells(JsonObject obj, DateTimeOffset now) => ["", ""];

        public Task AllocateAsync(StrategyContext ctx, JsonObject obj, JsonObject? old, CancellationToken ct)
        {
            if (old?["data"]?["port"] is { } kept) { obj["data"]!["port"] = kept.DeepClone(); return Task.CompletedTask; }
            var port = Interlocked.Increment(ref _next);
            InUse[port] = obj["metadata"]!["name"]!.GetValue<string>();
            obj["data"] ??= new JsonObject();
            obj["data"]!["port"] = port.ToString();
            return Task.CompletedTask;
        }

        public Task ReleaseAsync(StrategyContext ctx, JsonObject obj, JsonObject? keep, CancellationToken ct)
        {
            if (obj["data"]?["port"]?.GetValue<string>() is { } p && keep?["data"]?["port"]?.GetValue<string>() != p) InUse.TryRemove(int.Parse(p), out _);
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task Allocation_KeptOnSuccess_ReleasedOnFailedCreateAndOnDelete_SkippedOnDryRun()
    {
        await using var h = await StartAsync();
        var strategy = new PortStrategy();
        var d = new ResourceDescriptor
        {
            Group = "",
            Version = "v1",
            Kind = "ConfigMap",
            Plural = "configmaps",
            Singular = "configmap",
            ModelType = typeof(k8s.Models.V1ConfigMap),
            Strategy = strategy,
        };
        var catalog = new ResourceCatalog([d, TestKinds.Namespaces]);
        var registry = new GenericRegistry(h.Store, h.Cache, catalog, NullLogger<GenericRegistry>.Instance);

        var created = await registry.CreateAsync(h.Rc, d, "default", Obj("""{"metadata":{"name":"a"}}"""), new WriteOptions(), Ct);
        Assert.NotNull(created.Object.At("data", "port"));
        Assert.Single(strategy.InUse);

        await Assert.ThrowsAsync<ApiError>(() => registry.CreateAsync(h.Rc, d, "default", Obj("""{"metadata":{"name":"a"}}"""), new WriteOptions(), Ct));
        Assert.Single(strategy.InUse); // the duplicate's port went back to the pool

        await registry.CreateAsync(h.Rc, d, "default", Obj("""{"metadata":{"name":"b"}}"""), new WriteOptions { DryRun = true }, Ct);
        Assert.Single(strategy.InUse);

        await registry.DeleteAsync(h.Rc, d, "default", "a", new DeleteOptions(), Ct);
        Assert.Empty(strategy.InUse);
    }
}
