namespace K8sHost.Registry.Catalog;

/// <summary>
/// The single list of served kinds. Built once at startup from every registration; validates descriptors
/// (unique plural per group/version, capabilities matching subresources) and fails fast on a bad one.
/// </summary>
public sealed class ResourceCatalog
{
    private readonly List<ResourceDescriptor> _all = [];
    private readonly Dictionary<(string Group, string Version, string Plural), ResourceDescriptor> _byResource = [];

    public ResourceCatalog(IEnumerable<ResourceDescriptor> descriptors)
    {
        foreach (var d in descriptors) Add(d);
        foreach (var d in _all) CheckSharedStorage(d);
    }

    public IReadOnlyList<ResourceDescriptor> All => _all;

    /// <summary>
    /// The core/v1 namespaces resource, when served. Namespaces are the one kind the generic machinery must know
    /// (namespace existence and Terminating checks on create, the lifecycle controller), so it is looked up once here.
    /// </summary>
    public ResourceDescriptor? Namespaces => _namespaces ??= Find("", "v1", "namespaces");

    private ResourceDescriptor? _namespaces;

    /// <summary>Group/versions in registration order; the core group ("") first.</summary>
    public IEnumerable<(string Group, string Version)> GroupVersions =>
        _all.Select(d => (d.Group, d.Version)).Distinct().OrderBy(gv => gv.Group.Length == 0 ? 0 : 1);

    public ResourceDescriptor? Find(string group, string version, string plural) =>
        _byResource.GetValueOrDefault((group, version, plural));

    public ResourceDescriptor? FindKind(string group, string version, string kind) =>
        _all.FirstOrDefault(d => d.Group == group && d.Version == version && d.Kind == kind);

    private void Add(ResourceDescriptor d)
    {
        if (!_byResource.TryAdd((d.Group, d.Version, d.Plural), d))
            throw new InvalidOperationException($"resource {d.QualifiedPlural}/{d.Version} registered twice");
        foreach (var sub in d.Subresources)
        {
            var ok = sub switch
            {
                "status" => d.Strategy.HasStatus,
                "binding" => d.Strategy is IBindingStrategy,
                "log" => d.Strategy is ILogStrategy,
                "exec" or "attach" or "portforward" => d.Strategy is IContainerStreamStrategy,
                "eviction" => true,
                _ => false,
            };
            if (!ok) throw new InvalidOperationException($"{d.QualifiedPlural}: subresource '{sub}' has no matching strategy capability");
        }
        if (d.Columns.Count == 0) throw new InvalidOperationException($"{d.QualifiedPlural}: no table columns");
        _all.Add(d);
    }

    // A version that shares storage must point at a registered owner of the same kind and scope; chains are refused so
    // every key has exactly one shape. A converter on a descriptor that owns its storage would never run: a mistake.
    private void CheckSharedStorage(ResourceDescriptor d)
    {
        var name = $"{d.QualifiedPlural}/{d.Version}";
        if (d.SharesStorageWith is not { } s)
        {
            if (d.Strategy is IVersionConverter)
                throw new InvalidOperationException($"{name}: strategy converts versions but the descriptor shares no storage");
            return;
        }
        if (!_all.Any(x => ReferenceEquals(x, s)))
            throw new InvalidOperationException($"{name}: shares storage with {s.QualifiedPlural}/{s.Version}, which is not registered");
        if (ReferenceEquals(s, d) || s.SharesStorageWith is not null)
            throw new InvalidOperationException($"{name}: must share storage with a descriptor that owns its storage");
        if (s.Kind != d.Kind || s.Namespaced != d.Namespaced)
            throw new InvalidOperationException($"{name}: shares storage with {s.QualifiedPlural}/{s.Version} of another kind or scope");
    }
}
