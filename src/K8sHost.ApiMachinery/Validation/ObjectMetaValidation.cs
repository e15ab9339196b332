using System.Text.Json;
using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;

namespace K8sHost.ApiMachinery.Validation;

/// <summary>
/// apimachinery's ValidateObjectMeta over a JSON metadata object: name/generateName by the kind's name rule,
/// namespace presence by scope, labels, annotations (keys and the 256 KiB total), ownerReferences,
/// finalizers, generation and managedFields. Field paths and messages match kube-apiserver's.
/// </summary>
public static class ObjectMetaValidation
{
    public const int TotalAnnotationSizeLimitBytes = 256 * 1024;
    private const string FinalizerOrphanDependents = "orphan";
    private const string FinalizerDeleteDependents = "foregroundDeletion";

    public static IEnumerable<FieldError> Validate(JsonObject? metadata, bool namespaced, Func<string, IEnumerable<string>> nameRule)
    {
        var errs = new List<FieldError>();
        metadata ??= new JsonObject();

        var generateName = Str(metadata, "generateName");
        if (!string.IsNullOrEmpty(generateName))
            foreach (var msg in nameRule(NameRules.MaskTrailingDash(generateName)))
                errs.Add(FieldError.Invalid("metadata.generateName", generateName, msg));

        var name = Str(metadata, "name");
        if (string.IsNullOrEmpty(name))
            errs.Add(FieldError.Required("metadata.name", "name or generateName is required"));
        else
            foreach (var msg in nameRule(name))
                errs.Add(FieldError.Invalid("metadata.name", name, msg));

        var ns = Str(metadata, "namespace");
        if (namespaced)
        {
            if (string.IsNullOrEmpty(ns)) errs.Add(FieldError.Required("metadata.namespace"));
            else
                foreach (var msg in NameRules.IsDns1123Label(ns))
                    errs.Add(FieldError.Invalid("metadata.namespace", ns, msg));
        }
        else if (!string.IsNullOrEmpty(ns))
        {
            errs.Add(FieldError.Forbidden("metadata.namespace", "not allowed on this type"));
        }

        if (metadata["generation"] is JsonValue g && g.GetValueKind() == JsonValueKind.Number &&
            long.TryParse(g.ToJsonString(), out var generation) && generation < 0)
            errs.Add(FieldError.Invalid("metadata.generation", generation, "must be greater than or equal to 0"));

        errs.AddRange(ValidateLabels(StringMap(metadata["labels"]), "metadata.labels"));
        errs.AddRange(ValidateAnnotations(StringMap(metadata["annotations"]), "metadata.annotations"));
        errs.AddRange(ValidateOwnerReferences(metadata["ownerReferences"] as JsonArray, "metadata.ownerReferences"));
        errs.AddRange(ValidateFinalizers(metadata["finalizers"] as JsonArray, "metadata.finalizers"));
        errs.AddRange(ValidateManagedFields(metadata["managedFields"] as JsonArray, "metadata.managedFields"));
        return errs;
    }

    public static IEnumerable<FieldError> ValidateLabels(IEnumerable<KeyValuePair<string, string>> labels, string path)
    {
        foreach (var (k, v) in labels)
        {
            foreach (var msg in NameRules.IsQualifiedName(k)) yield return FieldError.Invalid(path, k, msg);
            foreach (var msg in NameRules.IsValidLabelValue(v)) yield return FieldError.Invalid(path, v, msg);
        }
    }

    public static IEnumerable<FieldError> ValidateAnnotations(IEnumerable<KeyValuePair<string, string>> annotations, string path)
    {
        long total = 0;
        foreach (var (k, v) in annotations)
        {
            // Annotation keys are qualified names except that case does not matter.
            foreach (var msg in NameRules.IsQualifiedName(k.ToLowerInvariant())) yield return FieldError.Invalid(path, k, msg);
            total += System.Text.Encoding.UTF8.GetByteCount(k) + System.Text.Encoding.UTF8.GetByteCount(v);
        }
        if (total > TotalAnnotationSizeLimitBytes) yield return FieldError.TooLong(path, TotalAnnotationSizeLimitBytes);
    }

    private static IEnumerable<FieldError> ValidateOwnerReferences(JsonArray? refs, string path)
    {
        if (refs is null) yield break;
        string? firstController = null;
        foreach (var node in refs)
        {
            if (node is not JsonObject r) continue;
            var apiVersion = Str(r, "apiVersion") ?? "";
            var kind = Str(r, "kind") ?? "";
            var refName = Str(r, "name") ?? "";
            var uid = Str(r, "uid") ?? "";
            var version = apiVersion.Contains('/') ? apiVersion[(apiVersion.IndexOf('/') + 1)..] : apiVersion;
            if (version.Length == 0) yield return FieldError.Invalid(path + ".apiVersion", apiVersion, "version must not be empty");
            if (kind.Length == 0) yield return FieldError.Invalid(path + ".kind", kind, "must not be empty");
            if (refName.Length == 0) yield return FieldError.Invalid(path + ".name", refName, "must not be empty");
            if (uid.Length == 0) yield return FieldError.Invalid(path + ".uid", uid, "must not be empty");
            if (r["controller"] is JsonValue c && c.GetValueKind() == JsonValueKind.True)
            {
                var current = kind + "/" + refName;
                if (firstController is not null)
                    yield return FieldError.Invalid(path, refs.ToJsonString(),
                        $"Only one reference can have Controller set to true. Found \"true\" in references for {firstController} and {current}");
                else firstController = current;
            }
        }
    }

    private static IEnumerable<FieldError> ValidateFinalizers(JsonArray? finalizers, string path)
    {
        if (finalizers is null) yield break;
        bool orphan = false, foreground = false;
        foreach (var f in finalizers.Select(n => n is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : ""))
        {
            foreach (var msg in NameRules.IsQualifiedName(f)) yield return FieldError.Invalid(path, f, msg);
            orphan |= f == FinalizerOrphanDependents;
            foreground |= f == FinalizerDeleteDependents;
        }
        if (orphan && foreground)
            yield return FieldError.Invalid(path, finalizers.ToJsonString(),
                $"finalizer {FinalizerOrphanDependents} and {FinalizerDeleteDependents} cannot be both set");
    }

    private static IEnumerable<FieldError> ValidateManagedFields(JsonArray? entries, string path)
    {
        if (entries is null) yield break;
        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i] is not JsonObject e) continue;
            var op = Str(e, "operation") ?? "";
            if (op is not ("Apply" or "Update"))
                yield return FieldError.Invalid($"{path}[{i}].operation", op, "must be `Apply` or `Update`");
            var fieldsType = Str(e, "fieldsType");
            if (!string.IsNullOrEmpty(fieldsType) && fieldsType != "FieldsV1")
                yield return FieldError.Invalid($"{path}[{i}].fieldsType", fieldsType, "must be `FieldsV1`");
        }
    }

    private static string? Str(JsonObject o, string key) =>
        o[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static IEnumerable<KeyValuePair<string, string>> StringMap(JsonNode? node)
    {
        if (node is not JsonObject o) yield break;
        foreach (var (k, v) in o)
            yield return new(k, v is JsonValue jv && jv.GetValueKind() == JsonValueKind.String ? jv.GetValue<string>() : v?.ToJsonString() ?? "");
    }
}
