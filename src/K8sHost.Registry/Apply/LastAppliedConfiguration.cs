using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace K8sHost.Registry.Apply;

/// <summary>
/// kube-apiserver's bridge between client-side apply (kubectl apply, which records its configuration in the
/// kubectl.kubernetes.io/last-applied-configuration annotation and writes as Update manager
/// "kubectl-client-side-apply") and server-side apply by manager "kubectl" (kubectl apply --server-side):
/// <list type="bullet">
/// <item>conflicts on fields whose live value is still what the annotation says were set by client-side apply, so the
/// server-side apply takes them over as if forced (the migration kubectl users expect to just work);</item>
/// <item>after every such apply the annotation, if present, is rewritten to the applied configuration, so a later
/// client-side apply computes its 3-way patch against what was really applied.</item>
/// </list>
/// Only the manager "kubectl" gets this, as upstream: other managers opt out by using their own name.
/// </summary>
internal static class LastAppliedConfiguration
{
    public const string Annotation = "kubectl.kubernetes.io/last-applied-configuration";
    public const string ServerSideApplyManager = "kubectl";

    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Leaf paths (in conflict form, .spec.containers[name="x"].image) the live object's annotation sets to exactly the
    /// live value; empty when the manager is not "kubectl" or the annotation is absent or not a JSON object.
    /// </summary>
    public static HashSet<string> ConflictsItAllows(string manager, JsonObject live, Type modelType, IReadOnlyDictionary<string, JsonNode?> liveLeaves)
    {
        var allowed = new HashSet<string>(StringComparer.Ordinal);
        if (manager != ServerSideApplyManager || Read(live) is not { } lastApplied) return allowed;
        var lastLeaves = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        FieldsV1.FromApplied(lastApplied, modelType, lastLeaves);
        foreach (var (path, value) in lastLeaves)
            if (liveLeaves.TryGetValue(path, out var liveValue) && JsonNode.DeepEquals(value, liveValue))
                allowed.Add(path);
        return allowed;
    }

    /// <summary>
    /// Sets the annotation of <paramref name="result"/> to <paramref name="appliedConfig"/> (without the annotation
    /// itself, keys sorted, compact JSON, as kubectl writes it) when the manager is "kubectl" and the annotation exists.
    /// </summary>
    public static void Update(string manager, JsonObject result, JsonObject appliedConfig)
    {
        if (manager != ServerSideApplyManager) return;
        if (result["metadata"]?["annotations"] is not JsonObject annotations || !annotations.ContainsKey(Annotation)) return;
        var config = (JsonObject)Sorted(appliedConfig)!;
        if (config["metadata"]?["annotations"] is JsonObject own)
        {
            own.Remove(Annotation);
            if (own.Count == 0) ((JsonObject)config["metadata"]!).Remove("annotations");
        }
        annotations[Annotation] = config.ToJsonString(Compact);
    }

    private static JsonObject? Read(JsonObject live)
    {
        if (live["metadata"]?["annotations"]?[Annotation] is not JsonValue v || !v.TryGetValue<string>(out var text)) return null;
        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            // A hand-edited, broken annotation explains no conflict; the apply then reports them as usual.
            return null;
        }
    }

    // Go's json.Marshal writes map keys in sorted order; kubectl's own annotation reads the same way.
    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray a => new JsonArray(a.Select(Sorted).ToArray()),
        _ => node?.DeepClone(),
    };
}
