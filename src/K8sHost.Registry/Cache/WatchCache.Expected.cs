using System.Collections.Concurrent;

namespace K8sHost.Registry.Cache;

// Writes made through this process: the registry announces the bytes it is about to store, so applying the resulting
// event needs no parse and no second serialization (the bulk of the feed loop's work per create or update).
public sealed partial class WatchCache
{
    private readonly ConcurrentDictionary<string, PreparedVersion> _expected = new(StringComparer.Ordinal);

    /// <summary>Announces a write of <see cref="PreparedVersion.Stored"/> to its key. Pair with <see cref="Forget"/>.</summary>
    internal void Expect(PreparedVersion prepared) => _expected[prepared.Key] = prepared;

    /// <summary>The write is over (applied, failed, or lost a race): drop the announcement if it is still there.</summary>
    internal void Forget(PreparedVersion prepared) => _expected.TryRemove(KeyValuePair.Create(prepared.Key, prepared));

    // The announced version, only when the store delivered exactly the announced bytes (another writer may have won).
    private PreparedVersion? TakeExpected(string key, byte[] value)
    {
        if (!_expected.TryGetValue(key, out var prepared)) return null;
        if (!prepared.Stored.AsSpan().SequenceEqual(value)) return null;
        _expected.TryRemove(KeyValuePair.Create(key, prepared));
        return prepared;
    }
}
