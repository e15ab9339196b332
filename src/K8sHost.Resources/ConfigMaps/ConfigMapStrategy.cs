using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;
using K8sHost.Registry.Catalog;
using K8sHost.Resources.Common;

namespace K8sHost.Resources.ConfigMaps;

internal sealed class ConfigMapStrategy() : SimpleStrategy(Checks.NameRule.Subdomain)
{
    protected override IEnumerable<FieldError> ValidateKind(JsonObject obj)
    {
        var data = J.Obj(obj, "data");
        var binary = J.Obj(obj, "binaryData");
        foreach (var e in DataMaps.Keys("data", data)) yield return e;
        foreach (var e in DataMaps.Keys("binaryData", binary)) yield return e;
        foreach (var (k, _) in binary ?? [])
            if (data?.ContainsKey(k) == true) yield return FieldError.Invalid($"data[{k}]", k, "duplicate of key present in binaryData");
        // binaryData values are base64 text on the wire; their decoded size is what kube counts.
        var size = DataMaps.Utf8Size(data) + (binary ?? []).Sum(p => (long)p.Key.Length + (J.S(p.Value).Length * 3 / 4));
        if (size > DataMaps.MaxBytes) yield return FieldError.TooLong("", DataMaps.MaxBytes);
    }

    public override IEnumerable<FieldError> ValidateUpdate(StrategyContext ctx, JsonObject obj, JsonObject old) =>
        Validate(ctx, obj).Concat(DataMaps.Immutable(obj, old, "data", "binaryData")).ToList();

    public override IReadOnlyList<object?> GetCells(JsonObject obj, DateTimeOffset now) =>
        [J.S(obj, "metadata", "name"), (long)((J.Obj(obj, "data")?.Count ?? 0) + (J.Obj(obj, "binaryData")?.Count ?? 0)), Cells.Age(obj, now)];
}

public static class ConfigMapKind
{
    public static ResourceDescriptor Descriptor { get; } = new()
    {
        Group = "",
        Version = "v1",
        Kind = "ConfigMap",
        Plural = "configmaps",
        Singular = "configmap",
        ShortNames = ["cm"],
        ModelType = typeof(k8s.Models.V1ConfigMap),
        Columns = [Col.Name, Col.S("Data", "Data contains the configuration data."), Col.Age],
        Strategy = new ConfigMapStrategy(),
    };
}
