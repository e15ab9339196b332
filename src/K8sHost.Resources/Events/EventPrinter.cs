using System.Text.Json.Nodes;
using K8sHost.Resources.Common;

namespace K8sHost.Resources.Events;

/// <summary>
/// The fields printEvent reads, taken from either shape: core/v1 Event or events.k8s.io/v1 Event (kube-apiserver
/// converts the latter to the same internal type, so both print alike).
/// </summary>
internal sealed record EventView(
    string Name, string? FirstTimestamp, string? LastTimestamp, string? EventTime, string? SeriesLastObserved, long? SeriesCount,
    long Count, string Type, string Reason, JsonObject? Regarding, string SourceComponent, string SourceHost,
    string ReportingController, string ReportingInstance, string Message)
{
    public static EventView FromCore(JsonObject e) => new(
        J.S(e, "metadata", "name"), J.Str(e, "firstTimestamp"), J.Str(e, "lastTimestamp"), J.Str(e, "eventTime"),
        J.Str(e, "series", "lastObservedTime"), e["series"] is JsonObject ? J.Long(e, "series", "count") ?? 0 : null,
        J.Long(e, "count") ?? 0, J.S(e, "type"), J.S(e, "reason"), J.Obj(e, "involvedObject"), J.S(e, "source", "component"),
        J.S(e, "source", "host"), J.S(e, "reportingComponent"), J.S(e, "reportingInstance"), J.S(e, "message"));

    public static EventView FromEventsV1(JsonObject e) => new(
        J.S(e, "metadata", "name"), J.Str(e, "deprecatedFirstTimestamp"), J.Str(e, "deprecatedLastTimestamp"), J.Str(e, "eventTime"),
        J.Str(e, "series", "lastObservedTime"), e["series"] is JsonObject ? J.Long(e, "series", "count") ?? 0 : null,
        J.Long(e, "deprecatedCount") ?? 0, J.S(e, "type"), J.S(e, "reason"), J.Obj(e, "regarding"),
        J.S(e, "deprecatedSource", "component"), J.S(e, "deprecatedSource", "host"), J.S(e, "reportingController"),
        J.S(e, "reportingInstance"), J.S(e, "note"));
}

internal static class EventPrinter
{
    /// <summary>Last Seen, Type, Reason, Object, Subobject, Source, Message, First Seen, Count, Name.</summary>
    public static IReadOnlyList<object?> Cells(EventView e, DateTimeOffset now)
    {
        var first = e.FirstTimestamp is not null ? Common.Cells.Since(e.FirstTimestamp, now) : Common.Cells.Since(e.EventTime, now);
        var last = e.LastTimestamp is not null ? Common.Cells.Since(e.LastTimestamp, now) : first;
        var count = e.Count;
        if (e.SeriesCount is { } sc)
        {
            last = Common.Cells.Since(e.SeriesLastObserved, now);
            count = sc;
        }
        else if (count == 0) count = 1; // singleton events of the new API carry no count
        var kind = J.S(e.Regarding, "kind").ToLowerInvariant();
        var name = J.S(e.Regarding, "name");
        var target = name.Length > 0 ? $"{kind}/{name}" : kind;
        return
        [
            last, e.Type, e.Reason, target, J.S(e.Regarding, "fieldPath"),
            Source(First(e.SourceComponent, e.ReportingController), First(e.SourceHost, e.ReportingInstance)),
            e.Message.Trim(), first, count, e.Name,
        ];
    }

    private static string First(string a, string b) => a.Length > 0 ? a : b;

    private static string Source(string component, string instance) =>
        component.Length == 0 && instance.Length == 0 ? "" : instance.Length > 0 ? $"{component}, {instance}" : component;

    public static readonly IReadOnlyList<Registry.Catalog.PrinterColumn> Columns =
    [
        Col.S("Last Seen", "Time when this Event was last seen"),
        Col.S("Type", "Type of this event (Normal, Warning), new types could be added in the future."),
        Col.S("Reason", "A short, machine understandable string that gives the reason for this event being generated."),
        Col.S("Object", "The object this Event is about"),
        Col.S("Subobject", "The subobject this Event is about", 1),
        Col.S("Source", "The component reporting this event", 1),
        Col.S("Message", "A human-readable description of the status of this operation."),
        Col.S("First Seen", "The first time that this event was seen", 1),
        Col.S("Count", "The number of times this event has occurred", 1),
        Col.Name with { Priority = 1 },
    ];
}
