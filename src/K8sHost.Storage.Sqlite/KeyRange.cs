using System.Text;

namespace K8sHost.Storage.Sqlite;

/// <summary>
/// A prefix as a half-open byte range [Start, End). Keys are stored as UTF-8 BLOBs, which SQLite compares with
/// memcmp: that is ordinal byte order and needs no LIKE (whose wildcards could appear inside keys).
/// </summary>
internal readonly record struct KeyRange(byte[] Start, byte[]? End)
{
    public static KeyRange ForPrefix(string prefix)
    {
        var start = Encoding.UTF8.GetBytes(prefix);
        return new KeyRange(start, PrefixEnd(start));
    }

    /// <summary>The smallest byte string greater than every string with this prefix; null when unbounded.</summary>
    private static byte[]? PrefixEnd(byte[] prefix)
    {
        for (var i = prefix.Length - 1; i >= 0; i--)
        {
            if (prefix[i] == 0xFF)
            {
                continue;
            }

            var end = prefix[..(i + 1)];
            end[i]++;
            return end;
        }

        return null;
    }
}
