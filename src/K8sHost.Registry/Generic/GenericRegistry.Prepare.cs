using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;
using K8sHost.ApiMachinery.Schema;
using K8sHost.ApiMachinery.Time;
using K8sHost.ApiMachinery.Validation;
using K8sHost.Registry.Catalog;
using K8sHost.Registry.Contracts;

namespace K8sHost.Registry.Generic;

// The shared object pipeline of every write: body normalization, ObjectMeta defaults and carry-over, strategy hooks in
// the documented order, validation.
public sealed partial class GenericRegistry
{
    private static readonly ConcurrentDictionary<ResourceDescriptor, bool> HasGenerationCache = new();

    /// <summary>
    /// Checks kind/apiVersion, prunes/rejects unknown fields and wrong types, checks the namespace against the request path.
    /// Decode errors carry kube-apiserver's "X in version \"v\" cannot be handled as a Y" prefix, as for a PUT or POST body;
    /// with <paramref name="rawDecodeErrors"/> they come bare, for callers (patches) that word them their own way.
    /// </summary>
    private void NormalizeBody(ResourceDescriptor d, string? ns, JsonObject obj, FieldValidationContext fv, bool rawDecodeErrors = false)
    {
        CheckKind(d, obj);
        try
        {
            SchemaNormalizer.Normalize(obj, d.ModelType, fv.Mode, fv.Warnings);
        }
        catch (ApiError e) when (e.Code == 400 && !rawDecodeErrors)
        {
            throw DecodeErrors.CannotBeHandled(d.Kind, d.Version, d.Kind, e.Message);
        }
        obj["kind"] = d.Kind;
        obj["apiVersion"] = d.ApiVersion;
        var meta = Meta.Of(obj);
        if (d.Namespaced)
        {
            var bodyNs = Meta.Str(meta, "namespace");
            if (!string.IsNullOrEmpty(bodyNs) && !string.IsNullOrEmpty(ns) && bodyNs != ns)
                throw ApiError.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            if (!string.IsNullOrEmpty(ns)) meta["namespace"] = ns;
        }
        else
        {
            meta.Remove("namespace");
        }
    }

    /// <summary>
    /// A body's kind/apiVersion (each defaulting to the endpoint's) must be the endpoint's. Otherwise kube-apiserver's
    /// decoder words it by what the pair is: unknown to the scheme, another kind (no conversion), or this kind at another
    /// served version (decodable, but not the version of this endpoint).
    /// </summary>
    private void CheckKind(ResourceDescriptor d, JsonObject obj)
    {
        var kind = Meta.Str(obj, "kind") is { Length: > 0 } k ? k : d.Kind;
        var apiVersion = Meta.Str(obj, "apiVersion") is { Length: > 0 } v ? v : d.ApiVersion;
        if (kind == d.Kind && apiVersion == d.ApiVersion) return;
        var slash = apiVersion.IndexOf('/');
        var (group, version) = slash < 0 ? ("", apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
        var known = _catalog.FindKind(group, version, kind);
        if (known is null)
            throw DecodeErrors.CannotBeHandled(kind, version, d.Kind, DecodeErrors.NotRegistered(kind, apiVersion));
        if (known.Kind != d.Kind)
            throw DecodeErrors.CannotBeHandled(kind, version, d.Kind, DecodeErrors.UnknownConversion(version, kind, d.Group, d.Kind));
        throw ApiError.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({d.ApiVersion})");
    }

    private static bool HasGeneration(ResourceDescriptor d) =>
        HasGenerationCache.GetOrAdd(d, x => x.Strategy.SpecFields.Any(f => SchemaNormalizer.GetFieldType(x.ModelType, f) is not null));

    /// <summary>Server-owned ObjectMeta of a new object (name from generateName is chosen by the caller).</summary>
    private void SetCreateDefaults(ResourceDescriptor d, JsonObject obj)
    {
        var meta = Meta.Of(obj);
        meta["uid"] = Guid.NewGuid().ToString();
        meta["creationTimestamp"] = KubeTime.Format(_clock.GetUtcNow());
        meta.Remove("deletionTimestamp");
        meta.Remove("deletionGracePeriodSeconds");
        meta.Remove("selfLink");
        if (HasGeneration(d)) meta["generation"] = 1;
        else meta.Remove("generation");
    }

    private static void Validate(ResourceDescriptor d, JsonObject obj, IEnumerable<FieldError> strategyErrors)
    {
        var errors = ObjectMetaValidation.Validate(obj["metadata"] as JsonObject, d.Namespaced, NameRules.IsValidPathSegmentName)
            .Concat(strategyErrors).ToList();
        if (errors.Count == 0) return;
        var causes = errors.Select(e => e.ToCause()).Distinct().ToList();
        throw ApiError.Invalid(d.Kind, d.Group, Meta.Str(obj, "metadata", "name") ?? Meta.Str(obj, "metadata", "generateName") ?? "", causes);
    }

    /// <summary>
    /// Update pipeline: carry over what clients cannot change, run the strategy's prepare hook, bump generation when a
    /// spec field changed, validate, canonicalize. <paramref name="obj"/> is mutated.
    /// </summary>
    private static void PrepareUpdate(StrategyContext ctx, ResourceDescriptor d, JsonObject obj, JsonObject old, string? subresource)
    {
        var meta = Meta.Of(obj);
        var oldMeta = Meta.Of(old);
        var immutable = new List<FieldError>();
        foreach (var field in new[] { "uid", "name" })
        {
            var now = Meta.Str(meta, field);
            var was = Meta.Str(oldMeta, field);
            if (!string.IsNullOrEmpty(now) && now != was) immutable.Add(FieldError.Invalid($"metadata.{field}", now, "field is immutable"));
        }
        if (immutable.Count > 0) throw ApiError.Invalid(d.Kind, d.Group, Meta.Str(oldMeta, "name") ?? "", immutable.Select(e => e.ToCause()).ToList());

        if (subresource == "status")
        {
            // Status writes change status only: metadata (labels, finalizers, …) is reset to the stored one.
            var rv = meta["resourceVersion"]?.DeepClone();
            obj["metadata"] = meta = (JsonObject)oldMeta.DeepClone();
            if (rv is not null) meta["resourceVersion"] = rv;
            d.Strategy.PrepareForStatusUpdate(ctx, obj, old);
        }
        else
        {
            foreach (var field in new[] { "uid", "name", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation" })
            {
                if (oldMeta[field] is { } v) meta[field] = v.DeepClone();
                else meta.Remove(field);
            }
            if (d.Namespaced) meta["namespace"] = oldMeta["namespace"]?.DeepClone();
            // A body without managedFields keeps the recorded owners (kube resets them only on an explicit empty list).
            if (!meta.ContainsKey("managedFields") && oldMeta["managedFields"] is { } owners) meta["managedFields"] = owners.DeepClone();
            d.Strategy.PrepareForUpdate(ctx, obj, old);
            if (HasGeneration(d) && d.Strategy.SpecFields.Any(f => !JsonNode.DeepEquals(obj[f], old[f])))
                meta["generation"] = Meta.Long(oldMeta["generation"]) + 1;
        }
        Validate(d, obj, d.Strategy.ValidateUpdate(ctx, obj, old));
        d.Strategy.Canonicalize(obj);
    }

    /// <summary>Field validation mode plus where its warnings go.</summary>
    private sealed record FieldValidationContext(K8sHost.ApiMachinery.FieldValidation Mode, ICollection<string> Warnings);
}
