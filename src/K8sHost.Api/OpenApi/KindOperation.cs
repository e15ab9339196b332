using K8sHost.Registry.Catalog;

namespace K8sHost.Api.OpenApi;

/// <summary>
/// What an OpenAPI operation does to which kind; stored in ApiDescription.Properties so the operation transformer can
/// add x-kubernetes-action and x-kubernetes-group-version-kind, and the splitter can file the path under its group-version.
/// </summary>
public sealed record KindOperation(ResourceDescriptor Descriptor, string Action, string? Subresource)
{
    /// <summary>"api/v1" or "apis/coordination.k8s.io/v1": the key of the OpenAPI v3 index.</summary>
    public static string GroupVersionPath(string group, string version) =>
        group.Length == 0 ? $"api/{version}" : $"apis/{group}/{version}";
}
