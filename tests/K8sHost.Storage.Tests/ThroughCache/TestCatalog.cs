using System.Text.Json.Nodes;
using K8sHost.Registry.Catalog;

namespace K8sHost.Storage.Tests.ThroughCache;

/// <summary>A catalog with the one kind the through-cache suite stores (core/v1 configmaps); the cache resolves keys by it.</summary>
internal static class TestCatalog
{
    public static ResourceCatalog ConfigMapsOnly() => new(
    [
        new ResourceDescriptor
        {
            Group = "",
            Version = "v1",
            Kind = "ConfigMap",
            Plural = "configmaps",
            Singular = "configmap",
            ModelType = typeof(JsonObject),
            Strategy = new OpaqueStrategy(),
        },
    ]);

    /// <summary>Stores objects as given: the store suite does not exercise Kubernetes validation.</summary>
    private sealed class OpaqueStrategy : IResourceStrategy
    {
        public bool HasStatus => false;

        public IReadOnlyList<object?> GetCells(JsonObject obj, DateTimeOffset now) => [obj["metadata"]?["name"]?.GetValue<string>(), null];
    }
}
