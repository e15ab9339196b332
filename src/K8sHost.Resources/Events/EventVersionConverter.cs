using System.Text.Json.Nodes;

namespace K8sHost.Resources.Events;

/// <summary>
/// events.k8s.io/v1 ↔ core/v1 Event, the field renames of kube-apiserver's conversion through the internal Event.
/// Every core/v1 field has exactly one events.k8s.io/v1 counterpart (reportingInstance keeps its name; source.host
/// travels inside deprecatedSource), so a read-modify-write through either version keeps what the other wrote.
/// </summary>
internal static class EventVersionConverter
{
    /// <summary>(core/v1 name, events.k8s.io/v1 name); fields not listed (metadata, eventTime, series, action, reason,
    /// related, type, reportingInstance) are the same in both.</summary>
    private static readonly (string Core, string V1)[] Renames =
    [
        ("involvedObject", "regarding"),
        ("message", "note"),
        ("reportingComponent", "reportingController"),
        ("source", "deprecatedSource"),
        ("firstTimestamp", "deprecatedFirstTimestamp"),
        ("lastTimestamp", "deprecatedLastTimestamp"),
        ("count", "deprecatedCount"),
    ];

    private static readonly Dictionary<string, string> CoreToV1 = Renames.ToDictionary(r => r.Core, r => r.V1, StringComparer.Ordinal);
    private static readonly Dictionary<string, string> V1ToCore = Renames.ToDictionary(r => r.V1, r => r.Core, StringComparer.Ordinal);

    public static JsonObject ToCore(JsonObject v1) => Rename(v1, V1ToCore);

    public static JsonObject FromCore(JsonObject core) => Rename(core, CoreToV1);

    private static JsonObject Rename(JsonObject from, Dictionary<string, string> names)
    {
        var result = new JsonObject();
        foreach (var (k, v) in from.ToList())
        {
            from.Remove(k);
            // Renamed names exist in only one version's schema, so a rename never collides with a field kept as is.
            result[names.GetValueOrDefault(k, k)] = v;
        }
        return result;
    }
}
