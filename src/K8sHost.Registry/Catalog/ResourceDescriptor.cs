namespace K8sHost.Registry.Catalog;

/// <summary>A Table column, as kube-apiserver's printers declare it. Priority 1 = shown only with -o wide.</summary>
public sealed record PrinterColumn(string Name, string Type = "string", string Format = "", string Description = "", int Priority = 0);

/// <summary>
/// Everything the server needs to know about a kind, as data. Routes, discovery, OpenAPI, table columns,
/// selectors, storage prefixes and the watch cache are all projected from descriptors in the
/// <see cref="ResourceCatalog"/>; no other place lists kinds.
/// </summary>
public sealed record ResourceDescriptor
{
    public required string Group { get; init; }
    public required string Version { get; init; }
    public required string Kind { get; init; }
    /// <summary>Lower-case plural: the URL segment and the storage key segment ("pods").</summary>
    public required string Plural { get; init; }
    public required string Singular { get; init; }
    public bool Namespaced { get; init; } = true;
    public IReadOnlyList<string> ShortNames { get; init; } = [];
    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>The typed model (k8s.Models.V1Pod, …): the schema for strict decoding, pruning and OpenAPI.</summary>
    public required Type ModelType { get; init; }

    /// <summary>Verbs on the main resource, as discovery lists them.</summary>
    public IReadOnlyList<string> Verbs { get; init; } = AllVerbs;

    /// <summary>Subresources the kind serves ("status", "binding", "eviction", "log"); each needs a matching capability.</summary>
    public IReadOnlyList<string> Subresources { get; init; } = [];

    /// <summary>Table columns in order; the first must be Name (format "name") unless the kind says otherwise (events).</summary>
    public IReadOnlyList<PrinterColumn> Columns { get; init; } = [new("Name", Format: "name"), new("Age")];

    /// <summary>Field selector keys beyond metadata.name/metadata.namespace, resolved by the strategy's GetFields.</summary>
    public IReadOnlyList<string> SelectableFields { get; init; } = [];

    /// <summary>The kind's behaviour. Stateless; one instance shared by every request.</summary>
    public required IResourceStrategy Strategy { get; init; }

    /// <summary>
    /// Set when this descriptor is another version of a resource already in the catalog (events.k8s.io/v1 Event and
    /// core/v1 Event): objects live once, under the storage descriptor's keys and in its shape, and this version reads
    /// and writes them through the strategy's <see cref="IVersionConverter"/> (identity when it has none).
    /// Null for the descriptor that owns its storage.
    /// </summary>
    public ResourceDescriptor? SharesStorageWith { get; init; }

    /// <summary>The descriptor whose keys and shape hold this resource's objects: <see cref="SharesStorageWith"/> or itself.</summary>
    public ResourceDescriptor StorageDescriptor => SharesStorageWith ?? this;

    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";
    public string ListKind => Kind + "List";
    /// <summary>"pods" or "leases.coordination.k8s.io": the name used in messages and authorization.</summary>
    public string QualifiedPlural => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    public static readonly IReadOnlyList<string> AllVerbs =
        ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
}
