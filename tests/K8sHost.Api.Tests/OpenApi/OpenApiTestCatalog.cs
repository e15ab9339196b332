using System.Text.Json.Nodes;
using k8s.Models;
using K8sHost.Registry.Catalog;

namespace K8sHost.Api.Tests.OpenApi;

/// <summary>
/// A small catalog for OpenAPI tests that need a host of their own: one kind per shape that matters (namespaced with
/// status, cluster-scoped, a named group, a create-only review kind the built-in kinds do not have yet).
/// </summary>
public static class OpenApiTestCatalog
{
    public static ResourceCatalog Create() => new(
    [
        Kind("", "v1", "Namespace", "namespaces", typeof(V1Namespace), namespaced: false, subresources: ["status"]),
        Kind("", "v1", "Pod", "pods", typeof(V1Pod), subresources: ["status"]),
        Kind("coordination.k8s.io", "v1", "Lease", "leases", typeof(V1Lease)),
        Kind("authorization.k8s.io", "v1", "SelfSubjectAccessReview", "selfsubjectaccessreviews",
            typeof(V1SelfSubjectAccessReview), namespaced: false, verbs: ["create"]),
    ]);

    private static ResourceDescriptor Kind(string group, string version, string kind, string plural, Type model,
        bool namespaced = true, string[]? subresources = null, string[]? verbs = null) => new()
        {
            Group = group,
            Version = version,
            Kind = kind,
            Plural = plural,
            Singular = kind.ToLowerInvariant(),
            Namespaced = namespaced,
            ModelType = model,
            Subresources = subresources ?? [],
            Verbs = verbs ?? ResourceDescriptor.AllVerbs,
            Strategy = new NameOnlyStrategy(subresources?.Contains("status") == true),
        };

    /// <summary>OpenAPI reads no strategy hook; this one only satisfies the catalog's checks.</summary>
    private sealed class NameOnlyStrategy(bool hasStatus) : IResourceStrategy
    {
        public bool HasStatus => hasStatus;

        public IReadOnlyList<object?> GetCells(JsonObject obj, DateTimeOffset now) => [obj["metadata"]?["name"]?.GetValue<string>(), ""];
    }
}
