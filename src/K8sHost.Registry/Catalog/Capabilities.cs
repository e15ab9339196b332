using System.Text.Json.Nodes;
using K8sHost.Registry.Contracts;

namespace K8sHost.Registry.Catalog;

// Optional capabilities a strategy implements. The endpoint mapper maps a subresource only when the descriptor
// lists it AND the strategy implements the capability; a mismatch fails the catalog at boot.

/// <summary>Hooks that allocate or release shared state (service cluster IPs and node ports) around writes.</summary>
public interface IAllocatingStrategy
{
    /// <summary>Runs after validation, before the store write. Not called on dry run (validation of requested values still runs).</summary>
    Task AllocateAsync(StrategyContext ctx, JsonObject obj, JsonObject? old, CancellationToken ct);

    /// <summary>Undoes <see cref="AllocateAsync"/> when the store write failed, or releases on delete.</summary>
    Task ReleaseAsync(StrategyContext ctx, JsonObject obj, JsonObject? keep, CancellationToken ct);
}

/// <summary>POST {name}/binding (pods): returns the updated object.</summary>
public interface IBindingStrategy
{
    /// <summary>Applies a Binding body to the current object; throws ApiError on conflict (already bound).</summary>
    void ApplyBinding(StrategyContext ctx, JsonObject obj, JsonObject binding);
}

/// <summary>GET {name}/log and other subresources answered without storage.</summary>
public interface ILogStrategy
{
    /// <summary>Throws ApiError with a clear Status until a node agent exists.</summary>
    Task<string> GetLogAsync(StrategyContext ctx, JsonObject obj, string? container, CancellationToken ct);
}

/// <summary>
/// pods/exec, pods/attach and pods/portforward: streams only a node agent can serve. Until one exists the strategy checks
/// what it can (the container) and throws ApiError with a clear Status, which kubectl prints when its upgrade is refused.
/// </summary>
public interface IContainerStreamStrategy
{
    Task ConnectAsync(StrategyContext ctx, JsonObject obj, string subresource, string? container, CancellationToken ct);
}

/// <summary>Kinds whose delete is not immediate (namespaces: phase Terminating, then a controller finishes).</summary>
public interface IDeletionStrategy
{
    /// <summary>
    /// Called when a delete arrives for a live object. Return true to keep the object (after mutating it, e.g. setting
    /// status.phase=Terminating and a finalizer) instead of removing it now.
    /// </summary>
    bool BeginDelete(StrategyContext ctx, JsonObject obj);
}

/// <summary>
/// Field conversion for a descriptor that shares another's storage (<see cref="ResourceDescriptor.SharesStorageWith"/>),
/// as kube-apiserver converts between the versions of one resource. Both directions get a copy they may mutate or
/// replace and return the converted object; the registry sets apiVersion and kind, and carries metadata through as is.
/// </summary>
public interface IVersionConverter
{
    /// <summary>This version's shape → the storage descriptor's shape (on every write through this version).</summary>
    JsonObject ToStorage(JsonObject obj);

    /// <summary>The storage descriptor's shape → this version's shape (on GET, LIST, WATCH and before update/patch transforms).</summary>
    JsonObject FromStorage(JsonObject stored);
}
