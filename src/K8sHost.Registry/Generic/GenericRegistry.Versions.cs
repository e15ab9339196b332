using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using K8sHost.Registry.Cache;
using K8sHost.Registry.Catalog;
using K8sHost.Registry.Contracts;

namespace K8sHost.Registry.Generic;

// Versions that share storage (ResourceDescriptor.SharesStorageWith): the store and the watch cache hold the storage
// descriptor's shape only; requests through another version convert at this boundary. Writes convert to storage shape
// just before the store; reads convert each cached version once and keep it while the cached version lives.
public sealed partial class GenericRegistry
{
    private readonly ConcurrentDictionary<ResourceDescriptor, ConditionalWeakTable<ObjectVersion, ObjectVersion>> _served =
        new(ReferenceEqualityComparer.Instance);

    /// <summary>The cached (storage-shaped) version as <paramref name="d"/> serves it.</summary>
    private ObjectVersion Serve(ResourceDescriptor d, ObjectVersion stored)
    {
        if (d.SharesStorageWith is null) return stored;
        var table = _served.GetOrAdd(d, static _ => new ConditionalWeakTable<ObjectVersion, ObjectVersion>());
        return table.GetValue(stored, s => ObjectVersionFactory.FromObject(d, s.Key, FromStorage(d, s.ToJsonObject()), s.Revision));
    }

    /// <summary>A list or watch predicate for <paramref name="d"/>, applied to the stored versions the cache holds.</summary>
    private Func<ObjectVersion, bool>? ServedMatches(ResourceDescriptor d, Func<ObjectVersion, bool>? matches) =>
        matches is null || d.SharesStorageWith is null ? matches : ov => matches(Serve(d, ov));

    /// <summary>A stored object in <paramref name="d"/>'s shape (the input when <paramref name="d"/> owns its storage).</summary>
    private static JsonObject FromStorage(ResourceDescriptor d, JsonObject stored)
    {
        if (d.SharesStorageWith is null) return stored;
        var converted = d.Strategy is IVersionConverter c ? c.FromStorage(stored) : stored;
        return Stamp(d, converted);
    }

    /// <summary>An object in <paramref name="d"/>'s shape as its storage descriptor stores it.</summary>
    private static JsonObject ToStorage(ResourceDescriptor d, JsonObject obj)
    {
        if (d.SharesStorageWith is not { } storage) return obj;
        var converted = d.Strategy is IVersionConverter c ? c.ToStorage((JsonObject)obj.DeepClone()) : (JsonObject)obj.DeepClone();
        return Stamp(storage, converted);
    }

    // apiVersion and kind first, as every served object has them, then the converted fields in their order.
    private static JsonObject Stamp(ResourceDescriptor d, JsonObject obj)
    {
        var result = new JsonObject { ["apiVersion"] = d.ApiVersion, ["kind"] = d.Kind };
        foreach (var (k, v) in obj.ToList())
        {
            if (k is "apiVersion" or "kind") continue;
            obj.Remove(k);
            result[k] = v;
        }
        return result;
    }
}
