using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;
using K8sHost.ApiMachinery.Json;
using K8sHost.ApiMachinery.Patch;
using K8sHost.ApiMachinery.Time;
using K8sHost.Registry.Apply;
using K8sHost.Registry.Catalog;
using K8sHost.Registry.Contracts;

namespace K8sHost.Registry.Generic;

// Server-side apply (PATCH application/apply-patch+yaml), the simplified form: create when missing, otherwise merge the
// applied configuration onto the live object strategically; managedFields record which manager set which fields, and
// taking a field another manager applied is a 409 unless force=true (or, for manager "kubectl", unless client-side apply
// set it: LastAppliedConfiguration).
public sealed partial class GenericRegistry
{
    private async Task<WriteResult> ApplyAsync(RequestContext rc, ResourceDescriptor d, string? ns, string name, string? subresource, PatchRequest patch,
        WriteOptions options, CancellationToken ct)
    {
        var manager = options.FieldManager;
        if (string.IsNullOrEmpty(manager))
            throw ApiError.BadRequest("PATCH, application/apply-patch+yaml: fieldManager is required for apply requests");
        var warnings = new List<string>(options.Warnings);
        var applied = ParseApplyBody(patch.Body.Span, options, warnings);
        var appliedConfig = (JsonObject)applied.DeepClone(); // as sent: what last-applied-configuration records
        NormalizeBody(d, ns, applied, new FieldValidationContext(options.FieldValidation, warnings), rawDecodeErrors: true);
        var bodyName = Meta.Str(applied, "metadata", "name");
        if (!string.IsNullOrEmpty(bodyName) && bodyName != name)
            throw ApiError.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        var meta = Meta.Of(applied);
        meta["name"] = name;
        meta.Remove("managedFields");
        var precondition = Meta.Precondition(Meta.ResourceVersion(applied));
        meta.Remove("resourceVersion");

        var appliedLeaves = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        var appliedFields = FieldsV1.FromApplied(applied, d.ModelType, appliedLeaves);
        string Now() => KubeTime.Format(_clock.GetUtcNow());

        var result = await GuaranteedUpdateAsync(rc, d, ns, name, subresource, options.DryRun, (current, currentRev) =>
        {
            if (precondition is long pin && pin != currentRev) throw Modified(d, name);
            var entries = ManagedFields.Read(current);
            var live = FieldsV1.LeavesOf(current, d.ModelType);
            var conflicts = new List<(string, string, string, string)>();
            var taken = new Dictionary<JsonObject, HashSet<string>>();
            foreach (var entry in entries.Where(e => ManagedFields.Manager(e) != manager))
            {
                var owned = FieldsV1.LeafPaths(entry["fieldsV1"] as JsonObject);
                var overlap = owned.Where(p => appliedLeaves.ContainsKey(p) &&
                                               !JsonNode.DeepEquals(appliedLeaves[p], live.GetValueOrDefault(p))).ToHashSet(StringComparer.Ordinal);
                if (overlap.Count == 0) continue;
                taken[entry] = overlap;
                conflicts.AddRange(overlap.Order(StringComparer.Ordinal).Select(p =>
                    (ManagedFields.Manager(entry), ManagedFields.Operation(entry), entry["apiVersion"]?.GetValue<string>() ?? "", p)));
            }
            if (conflicts.Count > 0 && !options.Force)
            {
                // Fields client-side apply set (live value == last-applied value) move to "kubectl" without a conflict.
                var allowed = LastAppliedConfiguration.ConflictsItAllows(manager, current, d.ModelType, live);
                var genuine = conflicts.Where(c => !allowed.Contains(c.Item4)).ToList();
                if (genuine.Count > 0) throw ManagedFields.ConflictError(d.Plural, d.Group, name, genuine);
            }

            var merged = StrategicMergePatch.Apply(current, StripForMerge(applied), d.ModelType);
            var previous = entries.FirstOrDefault(e => ManagedFields.Manager(e) == manager && ManagedFields.Operation(e) == "Apply");
            if (previous?["fieldsV1"] is JsonObject previouslyApplied)
            {
                var othersOwn = entries.Where(e => ManagedFields.Manager(e) != manager)
                    .SelectMany(e => FieldsV1.LeafPaths(e["fieldsV1"] as JsonObject)
                        .Where(p => !(taken.TryGetValue(e, out var lost) && lost.Contains(p))))
                    .ToHashSet(StringComparer.Ordinal);
                FieldsV1.RemoveDropped(merged, previouslyApplied, appliedFields, othersOwn);
            }
            LastAppliedConfiguration.Update(manager, merged, appliedConfig);
            var next = new JsonArray();
            foreach (var entry in entries)
            {
                if (ManagedFields.Manager(entry) == manager && ManagedFields.Operation(entry) == "Apply") continue;
                if (taken.TryGetValue(entry, out var lost))
                {
                    var left = FieldsV1.Without((JsonObject)entry["fieldsV1"]!, lost);
                    if (left is null) continue;
                    entry["fieldsV1"] = left;
                }
                next.Add(entry);
            }
            var unchanged = previous is not null && JsonNode.DeepEquals(previous["fieldsV1"], appliedFields) && taken.Count == 0 &&
                            SameIgnoringManagedFields(merged, current);
            next.Add(unchanged ? previous!.DeepClone() : ManagedFields.Entry(manager, "Apply", d.ApiVersion, Now(), (JsonObject)appliedFields.DeepClone()));
            Meta.Of(merged)["managedFields"] = next;
            return new Desired(merged, precondition is not null);
        }, ct, createIfMissing: async () =>
        {
            var obj = (JsonObject)applied.DeepClone();
            LastAppliedConfiguration.Update(manager, obj, appliedConfig);
            Meta.Of(obj)["managedFields"] = new JsonArray(ManagedFields.Entry(manager, "Apply", d.ApiVersion, Now(), (JsonObject)appliedFields.DeepClone()));
            return await CreateNormalizedAsync(rc, d, ns, obj, options.DryRun, ct);
        });
        return result with { Warnings = warnings };
    }

    private static JsonObject ParseApplyBody(ReadOnlySpan<byte> body, WriteOptions options, List<string> warnings)
    {
        var trimmed = body.TrimStart(" \t\r\n"u8);
        return trimmed.Length > 0 && trimmed[0] == (byte)'{'
            ? JsonBody.Parse(body, options.FieldValidation, warnings)
            : JsonBody.ParseYaml(body, options.FieldValidation, warnings);
    }

    private static JsonObject StripForMerge(JsonObject applied)
    {
        var copy = (JsonObject)applied.DeepClone();
        if (copy["metadata"] is JsonObject m)
            foreach (var f in new[] { "uid", "creationTimestamp", "generation", "deletionTimestamp", "deletionGracePeriodSeconds" })
                m.Remove(f);
        return copy;
    }

    private static bool SameIgnoringManagedFields(JsonObject a, JsonObject b)
    {
        var x = (JsonObject)a.DeepClone();
        var y = (JsonObject)b.DeepClone();
        (x["metadata"] as JsonObject)?.Remove("managedFields");
        (y["metadata"] as JsonObject)?.Remove("managedFields");
        return Meta.SameContent(x, y);
    }
}
