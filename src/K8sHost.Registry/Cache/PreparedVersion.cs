using System.Globalization;
using System.Text;
using K8sHost.Registry.Contracts;

namespace K8sHost.Registry.Cache;

/// <summary>
/// A write the registry is about to send to the store, with everything its cached version needs except the revision
/// (known only after the commit). When the cache's feed delivers exactly these bytes for the key, the served version is
/// the stored bytes with resourceVersion inserted at the end of metadata: byte for byte what parsing, stamping and
/// re-serializing them gives, without the parse.
/// </summary>
internal sealed class PreparedVersion
{
    private static readonly byte[] RvProperty = Encoding.UTF8.GetBytes("\"resourceVersion\":\"");

    internal PreparedVersion(string key, byte[] stored, int metadataEnd, bool metadataEmpty, string? ns, string name,
        IReadOnlyDictionary<string, string> labels, IReadOnlyDictionary<string, string> fields)
    {
        Key = key; Stored = stored; _metadataEnd = metadataEnd; _metadataEmpty = metadataEmpty;
        _ns = ns; _name = name; _labels = labels; _fields = fields;
    }

    private readonly int _metadataEnd;
    private readonly bool _metadataEmpty;
    private readonly string? _ns;
    private readonly string _name;
    private readonly IReadOnlyDictionary<string, string> _labels;
    private readonly IReadOnlyDictionary<string, string> _fields;

    public string Key { get; }

    /// <summary>The bytes to hand to the store. Never mutate.</summary>
    public byte[] Stored { get; }

    /// <summary>The version as served at <paramref name="revision"/> (&gt; 0).</summary>
    internal ObjectVersion At(long revision)
    {
        Span<byte> digits = stackalloc byte[20];
        revision.TryFormat(digits, out var n, default, CultureInfo.InvariantCulture);
        var comma = _metadataEmpty ? 0 : 1;
        var json = new byte[Stored.Length + comma + RvProperty.Length + n + 1];
        var at = 0;
        Stored.AsSpan(0, _metadataEnd).CopyTo(json);
        at += _metadataEnd;
        if (comma == 1) json[at++] = (byte)',';
        RvProperty.CopyTo(json.AsSpan(at));
        at += RvProperty.Length;
        digits[..n].CopyTo(json.AsSpan(at));
        at += n;
        json[at++] = (byte)'"';
        Stored.AsSpan(_metadataEnd).CopyTo(json.AsSpan(at));
        return new ObjectVersion(Key, _ns, _name, revision, json, _labels, _fields);
    }
}
