using System.Text;
using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;
using K8sHost.Registry.Catalog;
using K8sHost.Resources.Common;

namespace K8sHost.Resources.Secrets;

/// <summary>secretStrategy: type defaults to Opaque and is immutable, stringData folds into data, per-type required keys.</summary>
internal sealed class SecretStrategy() : SimpleStrategy(Checks.NameRule.Subdomain, obj => J.DefaultStr(obj, "type", "Opaque"))
{
    public override void PrepareForCreate(StrategyContext ctx, JsonObject obj) => Normalize(obj);

    public override void PrepareForUpdate(StrategyContext ctx, JsonObject obj, JsonObject old) => Normalize(obj);

    /// <summary>The v1→internal conversion kube runs on every write: stringData overwrites data keys, then is dropped.</summary>
    private static void Normalize(JsonObject obj)
    {
        if (obj["stringData"] is JsonObject sd)
        {
            var data = J.Ensure(obj, "data");
            foreach (var (k, v) in sd) data[k] = Convert.ToBase64String(Encoding.UTF8.GetBytes(J.Str(v) ?? ""));
            obj.Remove("stringData");
        }
    }

    protected override IEnumerable<FieldError> ValidateKind(JsonObject obj)
    {
        var data = J.Obj(obj, "data");
        foreach (var e in DataMaps.Keys("data", data)) yield return e;
        long size = 0;
        foreach (var (k, v) in data ?? [])
        {
            var text = J.Str(v) ?? "";
            var buffer = new byte[text.Length];
            if (!Convert.TryFromBase64String(text, buffer, out var n))
                yield return FieldError.Invalid($"data[{k}]", "<secret contents redacted>", "must be valid base64 data");
            size += k.Length + n;
        }
        if (size > DataMaps.MaxBytes) yield return FieldError.TooLong("data", DataMaps.MaxBytes);
        string[] required = J.S(obj, "type") switch
        {
            "kubernetes.io/tls" => ["tls.crt", "tls.key"],
            "kubernetes.io/dockerconfigjson" => [".dockerconfigjson"],
            "kubernetes.io/dockercfg" => [".dockercfg"],
            "kubernetes.io/ssh-auth" => ["ssh-privatekey"],
            _ => [],
        };
        foreach (var key in required)
            if (data?.ContainsKey(key) != true) yield return FieldError.Required($"data[{key}]");
        if (J.S(obj, "type") == "kubernetes.io/service-account-token" &&
            string.IsNullOrEmpty(J.Str(obj, "metadata", "annotations", "kubernetes.io/service-account.name")))
            yield return FieldError.Required("metadata.annotations[kubernetes.io/service-account.name]");
    }

    public override IEnumerable<FieldError> ValidateUpdate(StrategyContext ctx, JsonObject obj, JsonObject old) =>
        Validate(ctx, obj).Concat(Checks.Immutable("type", obj["type"], old["type"])).Concat(DataMaps.Immutable(obj, old, "data")).ToList();

    public override IReadOnlyDictionary<string, string> GetFields(JsonObject obj) =>
        new Dictionary<string, string> { ["type"] = J.S(obj, "type") };

    public override IReadOnlyList<object?> GetCells(JsonObject obj, DateTimeOffset now) =>
        [J.S(obj, "metadata", "name"), J.S(obj, "type"), (long)(J.Obj(obj, "data")?.Count ?? 0), Cells.Age(obj, now)];
}

public static class SecretKind
{
    public static ResourceDescriptor Descriptor { get; } = new()
    {
        Group = "",
        Version = "v1",
        Kind = "Secret",
        Plural = "secrets",
        Singular = "secret",
        ModelType = typeof(k8s.Models.V1Secret),
        Columns =
        [
            Col.Name, Col.S("Type", "The type of the secret"), Col.S("Data", "The number of entries in the secret"), Col.Age,
        ],
        SelectableFields = ["type"],
        Strategy = new SecretStrategy(),
    };
}
