using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;
using K8sHost.Registry.Catalog;
using K8sHost.Resources.Common;

namespace K8sHost.Resources.Events;

/// <summary>core/v1 Event: the shape kubectl describe and most controllers still write.</summary>
internal sealed class CoreEventStrategy() : SimpleStrategy(Checks.NameRule.Subdomain, EventDefaults.Core)
{
    protected override IEnumerable<FieldError> ValidateKind(JsonObject obj)
    {
        // ValidateEvent: an event about a namespaced object lives in that object's namespace.
        var ns = J.Str(obj, "metadata", "namespace") ?? "";
        var involved = J.Str(obj, "involvedObject", "namespace") ?? "";
        if (involved.Length > 0 && ns.Length > 0 && involved != ns)
            yield return FieldError.Invalid("involvedObject.namespace", involved, "does not match event.namespace");
    }

    public override IReadOnlyDictionary<string, string> GetFields(JsonObject obj)
    {
        var source = J.S(obj, "source", "component");
        if (source.Length == 0) source = J.S(obj, "reportingComponent");
        return new Dictionary<string, string>
        {
            ["involvedObject.kind"] = J.S(obj, "involvedObject", "kind"),
            ["involvedObject.namespace"] = J.S(obj, "involvedObject", "namespace"),
            ["involvedObject.name"] = J.S(obj, "involvedObject", "name"),
            ["involvedObject.uid"] = J.S(obj, "involvedObject", "uid"),
            ["involvedObject.apiVersion"] = J.S(obj, "involvedObject", "apiVersion"),
            ["involvedObject.resourceVersion"] = J.S(obj, "involvedObject", "resourceVersion"),
            ["involvedObject.fieldPath"] = J.S(obj, "involvedObject", "fieldPath"),
            ["reason"] = J.S(obj, "reason"),
            ["reportingComponent"] = J.S(obj, "reportingComponent"),
            ["source"] = source,
            ["type"] = J.S(obj, "type"),
        };
    }

    public override IReadOnlyList<object?> GetCells(JsonObject obj, DateTimeOffset now) => EventPrinter.Cells(EventView.FromCore(obj), now);
}

/// <summary>events.k8s.io/v1 Event: same data, new field names (regarding, note, reportingController, series). Stored as
/// core/v1 Events (one resource, two versions), converted on the way in and out.</summary>
internal sealed class EventsV1Strategy() : SimpleStrategy(Checks.NameRule.Subdomain, EventDefaults.EventsV1), IVersionConverter
{
    // Each side reads back with its own version's empty structs and null times, whichever version wrote the event.
    public JsonObject ToStorage(JsonObject obj) => EventDefaults.WithCore(EventVersionConverter.ToCore(obj));

    public JsonObject FromStorage(JsonObject stored) => EventDefaults.WithEventsV1(EventVersionConverter.FromCore(stored));

    protected override IEnumerable<FieldError> ValidateKind(JsonObject obj)
    {
        // The new API requires eventTime, reportingController and reportingInstance on events it creates.
        if (J.Str(obj, "eventTime") is null) yield return FieldError.Required("eventTime");
        if (string.IsNullOrEmpty(J.Str(obj, "reportingController"))) yield return FieldError.Required("reportingController");
        if (string.IsNullOrEmpty(J.Str(obj, "reportingInstance"))) yield return FieldError.Required("reportingInstance");
        if (string.IsNullOrEmpty(J.Str(obj, "action"))) yield return FieldError.Required("action");
        if (string.IsNullOrEmpty(J.Str(obj, "reason"))) yield return FieldError.Required("reason");
        // kube reports the bad type with an empty value and the type in the detail.
        if (J.Str(obj, "type") is not ("Normal" or "Warning") and var type)
            yield return FieldError.Invalid("type", "", $"has invalid value: {type}");
    }

    public override IReadOnlyDictionary<string, string> GetFields(JsonObject obj) => new Dictionary<string, string>
    {
        ["regarding.kind"] = J.S(obj, "regarding", "kind"),
        ["regarding.namespace"] = J.S(obj, "regarding", "namespace"),
        ["regarding.name"] = J.S(obj, "regarding", "name"),
        ["regarding.uid"] = J.S(obj, "regarding", "uid"),
        ["reason"] = J.S(obj, "reason"),
        ["reportingController"] = J.S(obj, "reportingController"),
        ["type"] = J.S(obj, "type"),
    };

    public override IReadOnlyList<object?> GetCells(JsonObject obj, DateTimeOffset now) => EventPrinter.Cells(EventView.FromEventsV1(obj), now);
}

public static class EventKinds
{
    public static ResourceDescriptor Core { get; } = new()
    {
        Group = "",
        Version = "v1",
        Kind = "Event",
        Plural = "events",
        Singular = "event",
        ShortNames = ["ev"],
        ModelType = typeof(k8s.Models.Corev1Event),
        Columns = EventPrinter.Columns,
        SelectableFields =
        [
            "involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion",
            "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type",
        ],
        Strategy = new CoreEventStrategy(),
    };

    public static ResourceDescriptor EventsV1 { get; } = new()
    {
        Group = "events.k8s.io",
        Version = "v1",
        Kind = "Event",
        Plural = "events",
        Singular = "event",
        ShortNames = ["ev"],
        ModelType = typeof(k8s.Models.Eventsv1Event),
        Columns = EventPrinter.Columns,
        SelectableFields = ["regarding.kind", "regarding.namespace", "regarding.name", "regarding.uid", "reason", "reportingController", "type"],
        Strategy = new EventsV1Strategy(),
        SharesStorageWith = Core,
    };
}
