using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;
using K8sHost.ApiMachinery.Validation;

namespace K8sHost.Resources.Common;

/// <summary>validateNodeTaints and validateTolerations: the syntax both sides of taint matching share.</summary>
internal static class TaintRules
{
    /// <summary>In kube's order (NoScheduleNoAdmit is still commented out upstream).</summary>
    public static readonly string[] Effects = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

    private static readonly string[] Operators = ["Equal", "Exists"];

    public static IEnumerable<FieldError> Effect(string field, string? effect, bool allowEmpty)
    {
        if (string.IsNullOrEmpty(effect))
        {
            if (!allowEmpty) yield return FieldError.Required(field);
            yield break;
        }
        if (!Effects.Contains(effect)) yield return FieldError.NotSupported(field, effect, Effects);
    }

    /// <summary>Keys, values and effects of a node's taints, unique by (key, effect). <paramref name="path"/> is where kube reports them.</summary>
    public static IEnumerable<FieldError> Taints(string path, IReadOnlyList<JsonObject> taints)
    {
        var seen = new HashSet<(string, string)>();
        for (var i = 0; i < taints.Count; i++)
        {
            var at = $"{path}[{i}]";
            var key = J.S(taints[i], "key");
            var value = J.S(taints[i], "value");
            var effect = J.S(taints[i], "effect");
            foreach (var e in Checks.LabelName($"{at}.key", key)) yield return e;
            if (NameRules.IsValidLabelValue(value) is { Count: > 0 } bad) yield return FieldError.Invalid($"{at}.value", value, string.Join(";", bad));
            foreach (var e in Effect($"{at}.effect", effect, allowEmpty: false)) yield return e;
            if (!seen.Add((key, effect)))
            {
                var rendered = Checks.Struct("core.Taint", ("Key", key), ("Value", value), ("Effect", effect),
                    ("TimeAdded", J.Str(taints[i], "timeAdded") is { } t ? new GoValue($"\"{t}\"") : new GoValue("(*v1.Time)(nil)")));
                yield return new FieldError(FieldErrorType.Duplicate, at, "taints must be unique by key and effect pair", rendered);
            }
        }
    }

    public static IEnumerable<FieldError> Tolerations(string path, IReadOnlyList<JsonObject> tolerations)
    {
        for (var i = 0; i < tolerations.Count; i++)
        {
            var t = tolerations[i];
            var at = $"{path}[{i}]";
            var key = J.S(t, "key");
            var op = J.S(t, "operator");
            var value = J.S(t, "value");
            var effect = J.S(t, "effect");
            if (key.Length > 0) foreach (var e in Checks.LabelName($"{at}.key", key)) yield return e;
            if (key.Length == 0 && op != "Exists")
                yield return FieldError.Invalid($"{at}.operator", op, "operator must be Exists when `key` is empty, which means \"match all values and all keys\"");
            if (J.Long(t, "tolerationSeconds") is not null && effect != "NoExecute")
                yield return FieldError.Invalid($"{at}.effect", effect, "effect must be 'NoExecute' when `tolerationSeconds` is set");
            switch (op)
            {
                case "Equal" or "":
                    if (NameRules.IsValidLabelValue(value) is { Count: > 0 } bad)
                        yield return FieldError.Invalid($"{at}.operator", value, string.Join(";", bad));
                    break;
                case "Exists":
                    if (value.Length > 0)
                        yield return FieldError.Invalid($"{at}.operator", Checks.Struct("core.Toleration", ("Key", key), ("Operator", op), ("Value", value),
                            ("Effect", effect), ("TolerationSeconds", J.Long(t, "tolerationSeconds") is { } s ? new GoValue($"({s})") : new GoValue("(*int64)(nil)"))),
                            "value must be empty when `operator` is 'Exists'");
                    break;
                default:
                    yield return FieldError.NotSupported($"{at}.operator", op, Operators);
                    break;
            }
            foreach (var e in Effect($"{at}.effect", effect, allowEmpty: true)) yield return e;
        }
    }
}
