using System.Text.Json.Nodes;
using K8sHost.Registry.Catalog;

namespace K8sHost.Registry.Contracts;

/// <summary>
/// The one generic registry: every verb for every kind. All Kubernetes object rules live here (and in the
/// strategies it calls): resourceVersion, preconditions, generateName, finalizers, selectors, continue tokens,
/// dry run, field validation and pruning. Errors are thrown as ApiError.
/// <paramref name="ns"/> is null for cluster-scoped kinds and for all-namespaces lists/watches.
/// </summary>
public interface IResourceRegistry
{
    Task<ObjectVersion> GetAsync(RequestContext rc, ResourceDescriptor d, string? ns, string name, GetOptions options, CancellationToken ct);

    Task<ListResult> ListAsync(RequestContext rc, ResourceDescriptor d, string? ns, ListOptions options, CancellationToken ct);

    /// <summary>Create; <paramref name="obj"/> is the decoded body (not yet pruned or validated).</summary>
    Task<WriteResult> CreateAsync(RequestContext rc, ResourceDescriptor d, string? ns, JsonObject obj, WriteOptions options, CancellationToken ct);

    /// <summary>PUT of the main resource (subresource null) or of "status". metadata.resourceVersion in the body is a precondition.</summary>
    Task<WriteResult> UpdateAsync(RequestContext rc, ResourceDescriptor d, string? ns, string name, string? subresource, JsonObject obj,
        WriteOptions options, CancellationToken ct);

    /// <summary>PATCH; apply patches to a missing object create it (Created = true).</summary>
    Task<WriteResult> PatchAsync(RequestContext rc, ResourceDescriptor d, string? ns, string name, string? subresource, PatchRequest patch,
        WriteOptions options, CancellationToken ct);

    Task<DeleteResult> DeleteAsync(RequestContext rc, ResourceDescriptor d, string? ns, string name, DeleteOptions options, CancellationToken ct);

    /// <summary>Deletes every object matching the list options; returns what was deleted.</summary>
    Task<ListResult> DeleteCollectionAsync(RequestContext rc, ResourceDescriptor d, string? ns, ListOptions listOptions, DeleteOptions options,
        CancellationToken ct);

    /// <summary>Starts a watch. Throws ApiError 410 only for request errors known up front; a compacted start revision
    /// is reported as an Error event, as kube-apiserver does.</summary>
    Task<IWatchSubscription> WatchAsync(RequestContext rc, ResourceDescriptor d, string? ns, WatchOptions options, CancellationToken ct);

    /// <summary>POST {name}/binding and similar "act on the object" subresources: read-modify-write with the strategy's capability.</summary>
    Task<WriteResult> BindAsync(RequestContext rc, ResourceDescriptor d, string? ns, string name, JsonObject binding, WriteOptions options,
        CancellationToken ct);
}
