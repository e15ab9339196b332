using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace K8sHost.Registry.Cache;

/// <summary>
/// An object's labels as one flat array (key, value, key, value, …) in metadata order. A Dictionary costs ~300 bytes
/// for four labels; this costs the array. Objects carry few labels, so a linear ordinal scan beats hashing anyway.
/// </summary>
internal sealed class LabelMap : IReadOnlyDictionary<string, string>
{
    public static readonly LabelMap Empty = new([]);

    private readonly string[] _pairs;

    /// <param name="pairs">Alternating keys and values, keys distinct.</param>
    public LabelMap(string[] pairs) => _pairs = pairs;

    public int Count => _pairs.Length / 2;

    public string this[string key] => TryGetValue(key, out var v) ? v : throw new KeyNotFoundException(key);

    public IEnumerable<string> Keys
    {
        get { for (var i = 0; i < _pairs.Length; i += 2) yield return _pairs[i]; }
    }

    public IEnumerable<string> Values
    {
        get { for (var i = 1; i < _pairs.Length; i += 2) yield return _pairs[i]; }
    }

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        var i = IndexOf(key);
        value = i >= 0 ? _pairs[i + 1] : null;
        return i >= 0;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
    {
        for (var i = 0; i < _pairs.Length; i += 2) yield return new(_pairs[i], _pairs[i + 1]);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(string key)
    {
        for (var i = 0; i < _pairs.Length; i += 2)
            if (string.Equals(_pairs[i], key, StringComparison.Ordinal)) return i;
        return -1;
    }
}
