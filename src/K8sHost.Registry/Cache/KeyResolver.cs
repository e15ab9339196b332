using K8sHost.Registry.Catalog;
using K8sHost.Registry.Contracts;

namespace K8sHost.Registry.Cache;

/// <summary>What a storage key says: k8s/{org}/{project}/{plural[.group]}/[{ns}/]{name}.</summary>
public sealed record ParsedKey(Tenant Tenant, ResourceDescriptor Descriptor, string? Namespace, string Name);

/// <summary>Maps storage keys back to descriptors, using the catalog's qualified plurals (the key's resource segment).</summary>
public sealed class KeyResolver
{
    private readonly Dictionary<string, ResourceDescriptor> _byQualifiedPlural = new(StringComparer.Ordinal);

    public KeyResolver(ResourceCatalog catalog)
    {
        // Several versions of one resource share storage; the storage descriptor (else the first registered) describes it.
        foreach (var d in catalog.All) _byQualifiedPlural.TryAdd(d.StorageDescriptor.QualifiedPlural, d.StorageDescriptor);
    }

    public ResourceDescriptor? FindByQualifiedPlural(string qualifiedPlural) => _byQualifiedPlural.GetValueOrDefault(qualifiedPlural);

    public ParsedKey? Parse(string key)
    {
        if (!key.StartsWith(StorageKeys.Root, StringComparison.Ordinal)) return null;
        var parts = key[StorageKeys.Root.Length..].Split('/');
        if (parts.Length < 4) return null;
        if (!_byQualifiedPlural.TryGetValue(parts[2], out var d)) return null;
        var tenant = new Tenant(parts[0], parts[1]);
        if (d.Namespaced)
            return parts.Length == 5 ? new ParsedKey(tenant, d, parts[3], parts[4]) : null;
        return parts.Length == 4 ? new ParsedKey(tenant, d, null, parts[3]) : null;
    }
}
