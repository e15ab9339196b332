using System.Text.Json.Nodes;
using K8sHost.Resources.Common;

namespace K8sHost.Resources.Events;

/// <summary>
/// Events have no defaulters upstream, but their Go structs always serialize some fields: the object reference and
/// the source are structs (`{}`), unset times are `null`, and core/v1's reportingComponent and reportingInstance have
/// no omitempty (`""`). This is how kube-apiserver returns an event that a client wrote without them.
/// </summary>
internal static class EventDefaults
{
    public static void Core(JsonObject e)
    {
        J.Ensure(e, "involvedObject");
        J.Ensure(e, "source");
        foreach (var time in new[] { "firstTimestamp", "lastTimestamp", "eventTime" }) NullWhenMissing(e, time);
        J.Default(e, "reportingComponent", "");
        J.Default(e, "reportingInstance", "");
    }

    public static void EventsV1(JsonObject e)
    {
        J.Ensure(e, "regarding");
        J.Ensure(e, "deprecatedSource");
        foreach (var time in new[] { "deprecatedFirstTimestamp", "deprecatedLastTimestamp", "eventTime" }) NullWhenMissing(e, time);
    }

    public static JsonObject WithCore(JsonObject e)
    {
        Core(e);
        return e;
    }

    public static JsonObject WithEventsV1(JsonObject e)
    {
        EventsV1(e);
        return e;
    }

    private static void NullWhenMissing(JsonObject o, string key)
    {
        if (!o.ContainsKey(key)) o[key] = null;
    }
}
