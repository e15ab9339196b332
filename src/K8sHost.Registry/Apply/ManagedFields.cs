using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;

namespace K8sHost.Registry.Apply;

/// <summary>Reads and rewrites metadata.managedFields entries {manager, operation, apiVersion, time, fieldsType, fieldsV1}.</summary>
internal static class ManagedFields
{
    public static List<JsonObject> Read(JsonObject obj) =>
        (obj["metadata"]?["managedFields"] as JsonArray)?.OfType<JsonObject>().Select(e => (JsonObject)e.DeepClone()).ToList() ?? [];

    public static JsonObject Entry(string manager, string operation, string apiVersion, string time, JsonObject fields) => new()
    {
        ["manager"] = manager,
        ["operation"] = operation,
        ["apiVersion"] = apiVersion,
        ["time"] = time,
        ["fieldsType"] = "FieldsV1",
        ["fieldsV1"] = fields,
    };

    public static string Manager(JsonObject entry) => entry["manager"]?.GetValue<string>() ?? "";

    public static string Operation(JsonObject entry) => entry["operation"]?.GetValue<string>() ?? "";

    /// <summary>The 409 kube-apiserver answers when an apply would take fields another manager owns.</summary>
    public static ApiError ConflictError(string resource, string group, string name, IReadOnlyList<(string Manager, string Operation, string ApiVersion, string Path)> conflicts)
    {
        static string Who((string Manager, string Operation, string ApiVersion, string Path) c) =>
            c.Operation == "Apply" ? $"\"{c.Manager}\"" : $"\"{c.Manager}\" using {c.ApiVersion}";
        string message;
        if (conflicts.Count == 1)
            message = $"Apply failed with 1 conflict: conflict with {Who(conflicts[0])}: {conflicts[0].Path}";
        else
        {
            var lines = conflicts.GroupBy(Who).Select(g => $"conflicts with {g.Key}:\n" + string.Join("\n", g.Select(c => "- " + c.Path)));
            message = $"Apply failed with {conflicts.Count} conflicts: " + string.Join("\n", lines);
        }
        var causes = conflicts.Select(c => new StatusCause("FieldManagerConflict", $"conflict with {Who(c)}", c.Path)).ToList();
        return new ApiError(409, "Conflict", message, resource, name, group, causes);
    }
}
