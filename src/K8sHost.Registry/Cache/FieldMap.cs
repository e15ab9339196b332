using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using K8sHost.Registry.Catalog;

namespace K8sHost.Registry.Cache;

/// <summary>
/// An object's selectable field values aligned to a <see cref="FieldLayout"/> (the field names, shared by every object
/// of a kind). A pod's ten fields cost one small array instead of a ~600-byte Dictionary per cached version.
/// </summary>
internal sealed class FieldMap : IReadOnlyDictionary<string, string>
{
    private readonly FieldLayout _layout;
    private readonly string[] _values;

    public FieldMap(FieldLayout layout, string[] values)
    {
        _layout = layout;
        _values = values;
    }

    public int Count => _values.Length;

    public string this[string key] => TryGetValue(key, out var v) ? v : throw new KeyNotFoundException(key);

    public IEnumerable<string> Keys => _layout.Names;

    public IEnumerable<string> Values => _values;

    public bool ContainsKey(string key) => _layout.IndexOf(key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        var i = _layout.IndexOf(key);
        value = i >= 0 ? _values[i] : null;
        return i >= 0;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
    {
        for (var i = 0; i < _values.Length; i++) yield return new(_layout.Names[i], _values[i]);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>The selectable field names of a kind, in the order its strategy reports them, with an index for lookups.</summary>
internal sealed class FieldLayout
{
    private static readonly ConcurrentDictionary<ResourceDescriptor, FieldLayout> Latest = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, int> _index;

    private FieldLayout(string[] names)
    {
        Names = names;
        _index = new Dictionary<string, int>(names.Length, StringComparer.Ordinal);
        for (var i = 0; i < names.Length; i++) _index[names[i]] = i;
    }

    public string[] Names { get; }

    public int IndexOf(string name) => _index.TryGetValue(name, out var i) ? i : -1;

    /// <summary>
    /// The shared layout for <paramref name="names"/>: every object of a kind normally reports the same names, so the
    /// kind's last layout is reused; a strategy that varies its names per object simply gets a layout of its own.
    /// </summary>
    public static FieldLayout For(ResourceDescriptor d, List<string> names)
    {
        if (Latest.TryGetValue(d, out var layout) && Same(layout.Names, names)) return layout;
        layout = new FieldLayout([.. names]);
        Latest[d] = layout;
        return layout;
    }

    private static bool Same(string[] a, List<string> b)
    {
        if (a.Length != b.Count) return false;
        for (var i = 0; i < a.Length; i++)
            if (!string.Equals(a[i], b[i], StringComparison.Ordinal)) return false;
        return true;
    }
}
