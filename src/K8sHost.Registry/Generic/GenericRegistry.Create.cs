using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;
using K8sHost.Registry.Catalog;
using K8sHost.Registry.Contracts;
using K8sHost.Storage;

namespace K8sHost.Registry.Generic;

// POST: defaults, strategy hooks, validation, namespace lifecycle, allocation, store create (generateName retries).
public sealed partial class GenericRegistry
{
    private const int GenerateNameAttempts = 5;
    private const string NameSuffixAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    public Task<WriteResult> CreateAsync(RequestContext rc, ResourceDescriptor d, string? ns, JsonObject obj, WriteOptions options, CancellationToken ct) =>
        Guard(async () =>
        {
            await _cache.EnsureReadyAsync(ct);
            var warnings = new List<string>(options.Warnings);
            NormalizeBody(d, ns, obj, new FieldValidationContext(options.FieldValidation, warnings));
            var result = await CreateNormalizedAsync(rc, d, Meta.Str(obj, "metadata", "namespace"), obj, options.DryRun, ct,
                options.FieldManager);
            return result with { Warnings = warnings };
        });

    /// <summary>Create of an already-normalized object (also used by apply-creates).</summary>
    private async Task<WriteResult> CreateNormalizedAsync(RequestContext rc, ResourceDescriptor d, string? ns, JsonObject obj, bool dryRun,
        CancellationToken ct, string? updateManager = null)
    {
        var meta = Meta.Of(obj);
        if (!string.IsNullOrEmpty(Meta.Str(meta, "resourceVersion")))
            throw ApiError.BadRequest("resourceVersion should not be set on objects to be created");
        var generateName = Meta.Str(meta, "generateName");
        var useGenerated = string.IsNullOrEmpty(Meta.Str(meta, "name")) && !string.IsNullOrEmpty(generateName);
        if (d.Namespaced && !string.IsNullOrEmpty(ns)) await CheckNamespaceAcceptsAsync(rc, d, ns, Meta.Str(meta, "name") ?? generateName ?? "", ct);

        for (var attempt = 0; ; attempt++)
        {
            var candidate = (JsonObject)obj.DeepClone();
            if (useGenerated) Meta.Of(candidate)["name"] = GenerateName(generateName!);
            SetCreateDefaults(d, candidate);
            var ctx = Context(rc, d, dryRun);
            d.Strategy.PrepareForCreate(ctx, candidate);
            Validate(d, candidate, d.Strategy.Validate(ctx, candidate));
            d.Strategy.Canonicalize(candidate);
            RecordUpdateManager(d, candidate, null, updateManager);

            var name = Meta.Str(candidate, "metadata", "name")!;
            var key = Key(rc, d, ns, name);
            if (dryRun)
            {
                if (_cache.TryGet(key) is not null) throw ApiError.AlreadyExists(d.Plural, d.Group, name);
                return new WriteResult(Version(d, key, candidate, 0), true, []);
            }

            var allocator = d.Strategy as IAllocatingStrategy;
            if (allocator is not null) await allocator.AllocateAsync(ctx, candidate, null, ct);
            StoreResult<long> res;
            var stored = StoredBytes(d, key, candidate, out var prepared);
            try
            {
                try { res = await _store.CreateAsync(key, stored, ct); }
                catch
                {
                    if (allocator is not null) await allocator.ReleaseAsync(ctx, candidate, null, CancellationToken.None);
                    throw;
                }
                if (res.IsOk)
                {
                    return new WriteResult(await AwaitCacheAsync(d, key, candidate, res.Value, ct), true, []);
                }
            }
            finally { Forget(prepared); }
            if (allocator is not null) await allocator.ReleaseAsync(ctx, candidate, null, CancellationToken.None);
            if (res.Status != StoreStatus.KeyExists) throw ApiError.Internal($"unexpected store result {res.Status} on create");
            if (!useGenerated || attempt + 1 >= GenerateNameAttempts) throw ApiError.AlreadyExists(d.Plural, d.Group, name);
        }
    }

    private static string GenerateName(string prefix)
    {
        // Names are capped at 63 characters for most kinds; kube trims the prefix so the suffix always fits.
        if (prefix.Length > 58) prefix = prefix[..58];
        Span<char> suffix = stackalloc char[5];
        for (var i = 0; i < suffix.Length; i++) suffix[i] = NameSuffixAlphabet[Random.Shared.Next(NameSuffixAlphabet.Length)];
        return prefix + new string(suffix);
    }

    /// <summary>NamespaceLifecycle admission: the namespace must exist and not be terminating.</summary>
    private async Task CheckNamespaceAcceptsAsync(RequestContext rc, ResourceDescriptor d, string ns, string name, CancellationToken ct)
    {
        var nsDescriptor = NamespaceDescriptor;
        if (nsDescriptor is null || ReferenceEquals(d, nsDescriptor) || d.QualifiedPlural == nsDescriptor.QualifiedPlural) return;
        var key = StorageKeys.ObjectKey(rc.Tenant, nsDescriptor, null, ns);
        var found = _cache.TryGet(key);
        if (found is null)
        {
            // Maybe created through another server moments ago: catch up once before saying no.
            await CatchUpAsync(ct);
            found = _cache.TryGet(key);
        }
        if (found is null) throw ApiError.NotFound("namespaces", "", ns);
        if (IsTerminating(found))
            throw ApiError.Forbidden(d.Plural, d.Group, name,
                $"unable to create new content in namespace {ns} because it is being terminated");
    }

    // Every create in a namespace asks this of the same cached version: answer once per version instead of parsing the
    // namespace each time. Versions are immutable, and the table lets an answer go when its version is dropped.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ObjectVersion, object> TerminatingByVersion = new();

    private static bool IsTerminating(ObjectVersion ns) => (bool)TerminatingByVersion.GetValue(ns, static v =>
    {
        var nsObj = v.ToJsonObject();
        return Meta.IsBeingDeleted(nsObj) || Meta.Str(nsObj, "status", "phase") == "Terminating";
    });

    private ResourceDescriptor? NamespaceDescriptor => _catalog.Namespaces;
}
