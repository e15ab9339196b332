using System.Text.Json.Nodes;

namespace K8sHost.Registry.Catalog;

/// <summary>
/// The /status write rule: everything but status comes from the stored object (metadata is reset by the registry).
/// The default <see cref="IResourceStrategy.PrepareForStatusUpdate"/> is this rule; strategies that override the hook
/// to default first call it too (C# cannot call an interface's default body from an override).
/// </summary>
public static class StatusWrites
{
    public static void KeepAllButStatus(JsonObject obj, JsonObject old)
    {
        foreach (var (k, v) in old)
        {
            if (IsStatusOrEnvelope(k)) continue;
            obj[k] = v?.DeepClone();
        }
        foreach (var k in obj.Select(p => p.Key).ToList())
            if (!IsStatusOrEnvelope(k) && !old.ContainsKey(k)) obj.Remove(k);
    }

    private static bool IsStatusOrEnvelope(string key) => key is "status" or "metadata" or "kind" or "apiVersion";
}
