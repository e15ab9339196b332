using System.Collections.Concurrent;

namespace K8sHost.Registry.Cache;

/// <summary>
/// Shares equal short strings between cached objects: namespaces, label keys/values and selectable field values repeat
/// across thousands of objects ("default", "app", "Running"), and each parse would otherwise keep its own copy for as long
/// as the version is cached. Bounded, so unique values (hashes, IPs) cannot grow it without limit; past the bound a
/// string is simply kept as is.
/// </summary>
internal static class StringPool
{
    private const int MaxLength = 64;
    private const int MaxEntries = 50_000;
    private static readonly ConcurrentDictionary<string, string> Pool = new(StringComparer.Ordinal);
    private static int _count;

    public static string Intern(string s)
    {
        if (s.Length == 0) return "";
        if (s.Length > MaxLength) return s;
        if (Pool.TryGetValue(s, out var shared)) return shared;
        if (Volatile.Read(ref _count) >= MaxEntries) return s;
        if (Pool.TryAdd(s, s))
        {
            Interlocked.Increment(ref _count);
            return s;
        }
        return Pool.TryGetValue(s, out shared) ? shared : s;
    }
}
