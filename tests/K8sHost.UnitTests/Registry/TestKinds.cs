using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;
using K8sHost.Registry.Catalog;

namespace K8sHost.UnitTests.Registry;

/// <summary>Tiny kinds for registry tests: a ConfigMap-like kind without status, a Pod-like kind with status, namespaces.</summary>
internal static class TestKinds
{
    public static readonly ResourceDescriptor ConfigMaps = new()
    {
        Group = "",
        Version = "v1",
        Kind = "ConfigMap",
        Plural = "configmaps",
        Singular = "configmap",
        ModelType = typeof(k8s.Models.V1ConfigMap),
        Strategy = new ConfigMapStrategy(),
    };

    public static readonly ResourceDescriptor Pods = new()
    {
        Group = "",
        Version = "v1",
        Kind = "Pod",
        Plural = "pods",
        Singular = "pod",
        ModelType = typeof(k8s.Models.V1Pod),
        Strategy = new PodStrategy(),
        Subresources = ["status"],
        SelectableFields = ["spec.nodeName", "status.phase"],
    };

    public static readonly ResourceDescriptor Namespaces = new()
    {
        Group = "",
        Version = "v1",
        Kind = "Namespace",
        Plural = "namespaces",
        Singular = "namespace",
        Namespaced = false,
        ModelType = typeof(k8s.Models.V1Namespace),
        Strategy = new NamespaceStrategy(),
        Subresources = ["status"],
    };

    public static ResourceCatalog Catalog() => new([ConfigMaps, Pods, Namespaces]);

    private sealed class ConfigMapStrategy : IResourceStrategy
    {
        public bool HasStatus => false;
        public IReadOnlyList<string> SpecFields => [];
        public IReadOnlyList<object?> GetCells(JsonObject obj, DateTimeOffset now) => [obj["metadata"]?["name"]?.GetValue<string>(), ""];

        public IEnumerable<FieldError> Validate(StrategyContext ctx, JsonObject obj) =>
            obj["data"]?["invalid"] is not null ? [FieldError.Invalid("data[invalid]", "x", "test rejects this key")] : [];
    }

    private sealed class PodStrategy : IResourceStrategy
    {
        public IReadOnlyList<object?> GetCells(JsonObject obj, DateTimeOffset now) => [obj["metadata"]?["name"]?.GetValue<string>(), ""];

        public IReadOnlyDictionary<string, string> GetFields(JsonObject obj) => new Dictionary<string, string>
        {
            ["spec.nodeName"] = obj["spec"]?["nodeName"]?.GetValue<string>() ?? "",
            ["status.phase"] = obj["status"]?["phase"]?.GetValue<string>() ?? "",
        };
    }

    /// <summary>Namespaces as kube-apiserver treats them: delete marks Terminating; the controller finishes.</summary>
    private sealed class NamespaceStrategy : IResourceStrategy, IDeletionStrategy
    {
        public IReadOnlyList<object?> GetCells(JsonObject obj, DateTimeOffset now) => [obj["metadata"]?["name"]?.GetValue<string>(), ""];

        public void PrepareForCreate(StrategyContext ctx, JsonObject obj)
        {
            obj["status"] = new JsonObject { ["phase"] = "Active" };
            obj["spec"] = new JsonObject { ["finalizers"] = new JsonArray("kubernetes") };
        }

        public bool BeginDelete(StrategyContext ctx, JsonObject obj)
        {
            var specFinalizers = obj["spec"]?["finalizers"] as JsonArray;
            if (specFinalizers is null || specFinalizers.Count == 0) return false;
            obj["status"] = new JsonObject { ["phase"] = "Terminating" };
            obj["metadata"]!["deletionTimestamp"] ??= DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ");
            return true;
        }
    }
}
