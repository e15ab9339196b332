using K8sHost.ApiMachinery.Errors;
using K8sHost.Registry.Cache;
using K8sHost.Registry.Catalog;
using K8sHost.Registry.Contracts;

namespace K8sHost.Registry.Generic;

// GET, LIST and WATCH: served from the watch cache with kube-apiserver's resourceVersion semantics.
public sealed partial class GenericRegistry
{
    private const string ContinueTooOld =
        "The provided continue parameter is too old to display a consistent list result. You can start a new list without " +
        "the continue parameter, or use the continue token in this response to retrieve the remainder of the results. " +
        "Continuing with the provided token results in an inconsistent list - objects that were created, modified, or " +
        "deleted between the time the first chunk was returned and now may show up in the list.";

    public Task<ObjectVersion> GetAsync(RequestContext rc, ResourceDescriptor d, string? ns, string name, GetOptions options, CancellationToken ct) =>
        Guard(async () =>
        {
            var key = Key(rc, d, ns, name);
            await _cache.EnsureReadyAsync(ct);
            var rv = Meta.ParseRevision(options.ResourceVersion);
            if (rv is null) await CatchUpAsync(ct);
            else if (rv > 0) await WaitOrTimeoutAsync(rv.Value, ct);
            return Serve(d, _cache.TryGet(key) ?? throw NotFound(d, name));
        });

    public Task<ListResult> ListAsync(RequestContext rc, ResourceDescriptor d, string? ns, ListOptions options, CancellationToken ct) =>
        Guard(async () =>
        {
            await _cache.EnsureReadyAsync(ct);
            var matches = ServedMatches(d, Selectors.Build(d, options.LabelSelector, options.FieldSelector));
            var prefix = StorageKeys.ListPrefix(rc.Tenant, d, d.Namespaced ? ns : null);
            if (options.Limit < 0) throw ApiError.BadRequest("limit must be a non-negative integer");

            CachePage? page;
            if (!string.IsNullOrEmpty(options.Continue))
            {
                if (!string.IsNullOrEmpty(options.ResourceVersion) && options.ResourceVersion != "0")
                    throw ApiError.BadRequest("specifying resource version is not allowed when using continue");
                var (at, startRel) = ContinueToken.Decode(options.Continue);
                await WaitOrTimeoutAsync(at, ct);
                page = _cache.List(prefix, prefix + startRel, at, options.Limit, matches);
                if (page is null) throw ApiError.Gone(ContinueTooOld);
            }
            else
            {
                var (mode, rv) = ReadModes.Parse(options.ResourceVersion, options.ResourceVersionMatch, isList: true);
                long at = 0;
                switch (mode)
                {
                    case ReadMode.Latest: await CatchUpAsync(ct); break;
                    case ReadMode.NotOlderThan: await WaitOrTimeoutAsync(rv, ct); break;
                    case ReadMode.Exact: await WaitOrTimeoutAsync(rv, ct); at = rv; break;
                }
                page = _cache.List(prefix, null, at, options.Limit, matches);
                if (page is null)
                    throw ApiError.Gone($"too old resource version: {rv} ({_cache.OldestListableRevision + 1})");
            }
            var token = page.LastKey is null ? null : ContinueToken.Encode(page.Revision, page.LastKey[prefix.Length..]);
            var items = d.SharesStorageWith is null ? page.Items : [.. page.Items.Select(ov => Serve(d, ov))];
            return new ListResult(items, page.Revision, token, page.Remaining);
        });

    public Task<IWatchSubscription> WatchAsync(RequestContext rc, ResourceDescriptor d, string? ns, WatchOptions options, CancellationToken ct) =>
        Guard(async () =>
        {
            ValidateWatchList(options);
            await _cache.EnsureReadyAsync(ct);
            var matches = ServedMatches(d, Selectors.Build(d, options.LabelSelector, options.FieldSelector)) ?? (_ => true);
            var prefix = StorageKeys.ListPrefix(rc.Tenant, d, d.Namespaced ? ns : null);
            // WatchList (kubectl wait, helm --wait) sends resourceVersionMatch=NotOlderThan without a resourceVersion:
            // "initial state as of now". Only that combination may omit the resourceVersion.
            var match = options.SendInitialEvents && string.IsNullOrEmpty(options.ResourceVersion) ? null : options.ResourceVersionMatch;
            var (mode, rv) = ReadModes.Parse(options.ResourceVersion, match, isList: false);
            long? resumeAfter = null;
            switch (mode)
            {
                case ReadMode.Latest:
                    await CatchUpAsync(ct);
                    break;
                case ReadMode.NotOlderThan:
                case ReadMode.Exact:
                    await WaitOrTimeoutAsync(rv, ct);
                    if (!options.SendInitialEvents) resumeAfter = rv;
                    break;
            }
            return _cache.Watch(new WatchRequest(prefix, matches)
            {
                ResumeAfter = resumeAfter,
                SendInitialEvents = options.SendInitialEvents,
                AllowBookmarks = options.AllowBookmarks,
                Timeout = options.Timeout is { } t && t > TimeSpan.Zero ? t : null,
                Project = d.SharesStorageWith is null ? null : ov => Serve(d, ov),
            });
        });
    /// <summary>
    /// A streaming list (sendInitialEvents) is only defined with resourceVersionMatch=NotOlderThan and bookmarks on, since
    /// the end of the initial state is itself a bookmark. kube-apiserver refuses other combinations as an invalid
    /// ListOptions (422), which makes client-go fall back to list + watch.
    /// </summary>
    private static void ValidateWatchList(WatchOptions options)
    {
        if (!options.SendInitialEvents) return;
        var causes = new List<StatusCause>();
        if (options.ResourceVersionMatch != "NotOlderThan")
            causes.Add(new StatusCause("FieldValueForbidden", "Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan", "sendInitialEvents"));
        if (!options.AllowBookmarks)
            causes.Add(new StatusCause("FieldValueForbidden", "Forbidden: sendInitialEvents requires setting allowWatchBookmarks to true", "allowWatchBookmarks"));
        if (causes.Count > 0) throw ApiError.Invalid("ListOptions", "meta.k8s.io", "", causes);
    }
}

/// <summary>How a read's resourceVersion/resourceVersionMatch pair is served (Kubernetes "Resource versions" docs).</summary>
internal enum ReadMode
{
    /// <summary>Unset: the most recent state (the cache catches up with the store first).</summary>
    Latest,
    /// <summary>"0": any state; the cache as it is.</summary>
    Any,
    /// <summary>At least this revision.</summary>
    NotOlderThan,
    /// <summary>Exactly this revision (lists only).</summary>
    Exact,
}

internal static class ReadModes
{
    public static (ReadMode Mode, long Revision) Parse(string? resourceVersion, string? match, bool isList)
    {
        var rv = Meta.ParseRevision(resourceVersion);
        match ??= "";
        if (match.Length > 0 && match is not ("NotOlderThan" or "Exact"))
            throw ApiError.BadRequest($"resourceVersionMatch: Unsupported value: \"{match}\": supported values: \"Exact\", \"NotOlderThan\"");
        if (rv is null)
        {
            if (match.Length > 0) throw ApiError.BadRequest("resourceVersionMatch is forbidden unless resourceVersion is provided");
            return (ReadMode.Latest, 0);
        }
        if (rv == 0)
        {
            if (match == "Exact") throw ApiError.BadRequest("resourceVersionMatch \"Exact\" is forbidden for resourceVersion \"0\"");
            return (ReadMode.Any, 0);
        }
        if (match == "Exact" && isList) return (ReadMode.Exact, rv.Value);
        return (ReadMode.NotOlderThan, rv.Value);
    }
}
