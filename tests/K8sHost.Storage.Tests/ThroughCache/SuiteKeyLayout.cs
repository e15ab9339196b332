using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace K8sHost.Storage.Tests.ThroughCache;

/// <summary>
/// Lets the conformance suite's keys and values pass through the watch cache. The cache only holds Kubernetes
/// objects at k8s/{org}/{project}/{resource}/{ns}/{name}, while the suite uses arbitrary keys (with '/' and '%' inside
/// names) and arbitrary bytes. So each suite key becomes one ConfigMap name: the key's UTF-16 code units as four hex
/// digits each, which keeps ordinal order and prefix relations exactly (a suite prefix maps to a name prefix); each
/// value becomes that ConfigMap's binaryData. The mapping is a bijection, so every assertion of the suite still holds.
/// </summary>
internal sealed class SuiteKeyLayout(IResourceStore inner) : IResourceStore
{
    public const string Root = "k8s/conformance/through-cache/configmaps/default/";

    public string Name => inner.Name;

    public static string Map(string key)
    {
        var sb = new StringBuilder(Root, Root.Length + key.Length * 4);
        foreach (var c in key) sb.Append(((int)c).ToString("x4"));
        return sb.ToString();
    }

    public static string Unmap(string key)
    {
        var hex = key[Root.Length..];
        var sb = new StringBuilder(hex.Length / 4);
        for (var i = 0; i < hex.Length; i += 4) sb.Append((char)Convert.ToInt32(hex.Substring(i, 4), 16));
        return sb.ToString();
    }

    public static byte[] Wrap(string mappedKey, ReadOnlyMemory<byte> value) => JsonSerializer.SerializeToUtf8Bytes(new JsonObject
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = mappedKey[Root.Length..], ["namespace"] = "default" },
        ["binaryData"] = new JsonObject { ["value"] = Convert.ToBase64String(value.Span) },
    });

    public static byte[] Unwrap(byte[] stored) =>
        stored.Length == 0 ? [] : Convert.FromBase64String(JsonNode.Parse(stored)!["binaryData"]!["value"]!.GetValue<string>());

    public Task<long> GetCurrentRevisionAsync(CancellationToken ct = default) => inner.GetCurrentRevisionAsync(ct);

    public async Task<StoreResult<KeyValue>> GetAsync(string key, CancellationToken ct = default) =>
        Back(await inner.GetAsync(Map(key), ct));

    public async Task<StoreResult<long>> CreateAsync(string key, ReadOnlyMemory<byte> value, CancellationToken ct = default) =>
        Back(await inner.CreateAsync(Map(key), Wrap(Map(key), value), ct));

    public async Task<StoreResult<long>> UpdateAsync(string key, ReadOnlyMemory<byte> value, long expectedModRevision, CancellationToken ct = default) =>
        Back(await inner.UpdateAsync(Map(key), Wrap(Map(key), value), expectedModRevision, ct));

    public async Task<StoreResult<long>> DeleteAsync(string key, long expectedModRevision, CancellationToken ct = default) =>
        Back(await inner.DeleteAsync(Map(key), expectedModRevision, ct));

    public async Task<StoreResult<RangeResult>> ListAsync(string prefix, string? startAfter, int limit, long revision = 0, CancellationToken ct = default)
    {
        var result = await inner.ListAsync(Map(prefix), startAfter is null ? null : Map(startAfter), limit, revision, ct);
        if (!result.IsOk) return result;
        var r = result.Value!;
        return StoreResult<RangeResult>.Ok(r with { Items = [.. r.Items.Select(Back)] });
    }

    public async IAsyncEnumerable<StoreEvent> WatchAsync(string prefix, long afterRevision,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        await foreach (var e in inner.WatchAsync(Map(prefix), afterRevision, ct))
        {
            yield return e.Type is StoreEventType.Put or StoreEventType.Delete
                ? e with { Key = Unmap(e.Key), Value = Unwrap(e.Value) }
                : e;
        }
    }

    public Task CompactAsync(long revision, CancellationToken ct = default) => inner.CompactAsync(revision, ct);

    public Task<long> GetCompactedRevisionAsync(CancellationToken ct = default) => inner.GetCompactedRevisionAsync(ct);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private static KeyValue Back(KeyValue kv) => kv with { Key = Unmap(kv.Key), Value = Unwrap(kv.Value) };

    private static StoreResult<T> Back<T>(StoreResult<T> r) => r with { Current = r.Current is null ? null : Back(r.Current) };

    private static StoreResult<KeyValue> Back(StoreResult<KeyValue> r) =>
        r with { Value = r.Value is null ? null : Back(r.Value), Current = r.Current is null ? null : Back(r.Current) };
}
