using K8sHost.ApiMachinery.Time;

namespace K8sHost.Resources.Common;

/// <summary>Cell formatting shared by the printers, as kube-apiserver's printers.go does it.</summary>
internal static class Cells
{
    public const string None = "<none>";

    public static string OrNone(string? s) => string.IsNullOrEmpty(s) ? None : s;

    /// <summary>translateTimestampSince: "&lt;unknown&gt;" for a missing time, else the human duration.</summary>
    public static string Since(string? timestamp, DateTimeOffset now) =>
        KubeTime.TryParse(timestamp, out var t) ? KubeTime.HumanDuration(now - t) : "<unknown>";

    public static string Age(System.Text.Json.Nodes.JsonObject obj, DateTimeOffset now) =>
        Since(J.Str(obj, "metadata", "creationTimestamp"), now);

    /// <summary>labels.FormatLabels / describeSelector: sorted "k=v" joined by ",", "&lt;none&gt;" when empty.</summary>
    public static string Labels(System.Text.Json.Nodes.JsonObject? map)
    {
        if (map is null || map.Count == 0) return None;
        return string.Join(",", map.Select(p => $"{p.Key}={J.Str(p.Value) ?? ""}").Order(StringComparer.Ordinal));
    }

    /// <summary>listWithMoreString: at most three items, then " + N more...".</summary>
    public static string ListWithMore(IReadOnlyList<string> all, string empty, int max = 3)
    {
        var shown = string.Join(",", all.Take(max));
        if (all.Count > max) return $"{shown} + {all.Count - max} more...";
        return shown.Length == 0 ? empty : shown;
    }
}
