using K8sHost.Registry.Catalog;

namespace K8sHost.Api.Pipeline;

/// <summary>
/// What a request asks for, as kube-apiserver's RequestInfo: a resource request (verb on group/version/resource in a
/// namespace, optionally one name and a subresource) or a non-resource request (verb on <see cref="Path"/>).
/// Built once per request by <see cref="RequestInfoResolver"/> and read by authorization (and later audit).
/// </summary>
public sealed record RequestInfo
{
    public required bool IsResourceRequest { get; init; }
    /// <summary>The URL path (non-resource requests are authorized on it).</summary>
    public required string Path { get; init; }
    /// <summary>get, list, watch, create, update, patch, delete, deletecollection (lower-case HTTP method otherwise).</summary>
    public required string Verb { get; init; }
    public string ApiGroup { get; init; } = "";
    public string ApiVersion { get; init; } = "";
    public string Namespace { get; init; } = "";
    public string Resource { get; init; } = "";
    public string Subresource { get; init; } = "";
    public string Name { get; init; } = "";
    /// <summary>The served kind the path names, when the catalog has it (null for unknown resources and virtual ones).</summary>
    public ResourceDescriptor? Descriptor { get; init; }
}
