using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Time;
using K8sHost.Registry.Apply;
using K8sHost.Registry.Catalog;

namespace K8sHost.Registry.Generic;

// managedFields for non-apply writes (create, update, patch with a fieldManager): the writer becomes the owner of the
// fields it changed (operation "Update"), taking them from other managers, as kube-apiserver's field manager does. This is
// what makes a later server-side apply of such a field conflict ("conflict with \"kubectl-edit\" using v1").
public sealed partial class GenericRegistry
{
    private void RecordUpdateManager(ResourceDescriptor d, JsonObject next, JsonObject? old, string? manager)
    {
        if (string.IsNullOrEmpty(manager)) return;
        var newLeaves = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        var fullTree = FieldsV1.FromApplied(next, d.ModelType, newLeaves);
        var oldLeaves = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        if (old is not null) FieldsV1.FromApplied(old, d.ModelType, oldLeaves);
        var changed = newLeaves.Where(p => !oldLeaves.TryGetValue(p.Key, out var was) || !JsonNode.DeepEquals(was, p.Value))
            .Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        var removed = oldLeaves.Keys.Where(k => !newLeaves.ContainsKey(k)).ToHashSet(StringComparer.Ordinal);
        if (changed.Count == 0 && removed.Count == 0) return;

        var gone = new HashSet<string>(changed, StringComparer.Ordinal);
        gone.UnionWith(removed);
        var entries = ManagedFields.Read(next);
        var result = new JsonArray();
        JsonObject? own = null;
        foreach (var entry in entries)
        {
            if (ManagedFields.Manager(entry) == manager && ManagedFields.Operation(entry) == "Update")
            {
                own = entry;
                continue;
            }
            if (entry["fieldsV1"] is JsonObject fields)
            {
                var left = FieldsV1.Without(fields, gone);
                if (left is null) continue;
                entry["fieldsV1"] = left;
            }
            result.Add(entry);
        }
        var unchanged = newLeaves.Keys.Where(k => !changed.Contains(k)).ToHashSet(StringComparer.Ordinal);
        var changedTree = FieldsV1.Without(fullTree, unchanged);
        var ownTree = own?["fieldsV1"] is JsonObject previous ? FieldsV1.Without(previous, removed) : null;
        var merged = FieldsV1.Merge(ownTree, changedTree);
        if (merged is not null)
            result.Add(ManagedFields.Entry(manager, "Update", d.ApiVersion, KubeTime.Format(_clock.GetUtcNow()), merged));
        if (result.Count == 0) Meta.Of(next).Remove("managedFields");
        else Meta.Of(next)["managedFields"] = result;
    }
}
