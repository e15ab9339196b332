using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;
using K8sHost.Registry.Cache;
using K8sHost.Registry.Catalog;
using K8sHost.Registry.Contracts;
using K8sHost.Storage;
using Microsoft.Extensions.Logging;

namespace K8sHost.Registry.Generic;

/// <summary>
/// The one registry for every kind (apiserver's generic registry Store): reads come from the <see cref="WatchCache"/>,
/// writes go to the store with compare-and-swap and then wait until the cache has seen them (read-your-writes).
/// Kind-specific behaviour comes only from the descriptor's strategy. One partial file per verb.
/// </summary>
public sealed partial class GenericRegistry : IResourceRegistry
{
    /// <summary>GuaranteedUpdate retries this often on CAS conflicts before giving up with 409.</summary>
    private const int MaxConflictRetries = 50;

    private readonly IResourceStore _store;
    private readonly WatchCache _cache;
    private readonly ResourceCatalog _catalog;
    private readonly IServiceProvider? _services;
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;

    public GenericRegistry(IResourceStore store, WatchCache cache, ResourceCatalog catalog, ILogger<GenericRegistry> logger,
        IServiceProvider? services = null, TimeProvider? clock = null)
    {
        _store = store;
        _cache = cache;
        _catalog = catalog;
        _logger = logger;
        _services = services;
        _clock = clock ?? TimeProvider.System;
    }

    private StrategyContext Context(RequestContext rc, ResourceDescriptor d, bool dryRun) =>
        new(rc, d, dryRun, _clock.GetUtcNow()) { Services = _services };

    private static string Key(RequestContext rc, ResourceDescriptor d, string? ns, string name)
    {
        if (d.Namespaced && string.IsNullOrEmpty(ns))
            throw ApiError.BadRequest("the namespace of the object is required for a namespaced resource");
        if (string.IsNullOrEmpty(name)) throw ApiError.BadRequest("resource name may not be empty");
        return StorageKeys.ObjectKey(rc.Tenant, d, d.Namespaced ? ns : null, name);
    }

    /// <summary>
    /// Read-your-writes: a write returns only once the cache (and so every reader) sees it. Bounded. Returns the cache's
    /// version of what was written (the bytes every reader gets) or builds it when the cache is late.
    /// </summary>
    private async Task<ObjectVersion> AwaitCacheAsync(ResourceDescriptor d, string key, JsonObject written, long revision, CancellationToken ct)
    {
        if (!await _cache.WaitForRevisionAsync(revision, _cache.Options.WaitTimeout, ct))
            _logger.LogWarning("watch cache did not reach revision {Revision} in time; returning anyway", revision);
        else if (_cache.TryGet(key) is { } cached && cached.Revision == revision)
            return Serve(d, cached);
        return Version(d, key, written, revision);
    }

    /// <summary>
    /// The bytes to store for <paramref name="obj"/>, announced to the cache so that applying this process's own write
    /// skips parsing and re-serializing them. Call <see cref="Forget"/> once the write is over.
    /// </summary>
    private byte[] StoredBytes(ResourceDescriptor d, string key, JsonObject obj, out PreparedVersion? prepared)
    {
        var bytes = ObjectVersionFactory.Prepare(d.StorageDescriptor, key, ToStorage(d, obj), out prepared);
        if (prepared is not null) _cache.Expect(prepared);
        return bytes;
    }

    private void Forget(PreparedVersion? prepared)
    {
        if (prepared is not null) _cache.Forget(prepared);
    }

    /// <summary>Waits until the cache holds everything the store had committed when the request arrived.</summary>
    private async Task CatchUpAsync(CancellationToken ct)
    {
        var (current, reached) = await _cache.CatchUpAsync(ct);
        if (!reached) throw TooLargeResourceVersion(current);
    }

    private async Task WaitOrTimeoutAsync(long revision, CancellationToken ct)
    {
        if (!await _cache.WaitForRevisionAsync(revision, _cache.Options.WaitTimeout, ct)) throw TooLargeResourceVersion(revision);
    }

    private ApiError TooLargeResourceVersion(long revision) =>
        new(504, "Timeout", $"Timeout: Too large resource version: {revision}, current: {_cache.Revision}",
            retryAfterSeconds: 1, causes: [new StatusCause("ResourceVersionTooLarge", "Too large resource version", "")]);

    /// <summary>kube-apiserver's wording for a 504 whose outcome is unknown (what client-go also prints for a bare 504).</summary>
    internal const string MayStillBeProcessing =
        "the server was unable to return a response in the time allotted, but may still be processing the request";

    /// <summary>
    /// Store failures by what they promise: "not applied" becomes 503 with Retry-After (retrying is safe); "sent but
    /// unanswered" becomes 504 Timeout without Retry-After, so no client repeats a create that may have happened.
    /// Everything else passes through.
    /// </summary>
    private async Task<T> Guard<T>(Func<Task<T>> body)
    {
        try { return await body(); }
        catch (StoreUnavailableException e) { throw ApiError.ServiceUnavailable(e.Message); }
        catch (StoreOutcomeUnknownException e)
        {
            _logger.LogWarning("store call outcome unknown: {Message}", e.Message);
            throw new ApiError(504, "Timeout", MayStillBeProcessing);
        }
    }

    private static ApiError NotFound(ResourceDescriptor d, string name) => ApiError.NotFound(d.Plural, d.Group, name);

    private static ApiError Modified(ResourceDescriptor d, string name) => ApiError.Conflict(d.Plural, d.Group, name, ApiError.ModifiedMessage);

    private static ObjectVersion Version(ResourceDescriptor d, string key, JsonObject obj, long revision) =>
        ObjectVersionFactory.FromObject(d, key, obj, revision);
}
