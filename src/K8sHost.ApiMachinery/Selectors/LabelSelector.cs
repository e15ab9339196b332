using System.Text.Json;
using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;

namespace K8sHost.ApiMachinery.Selectors;

/// <summary>
/// A parsed label selector (the labelSelector query parameter or a metav1.LabelSelector): the AND of its
/// requirements. The empty selector matches everything; <see cref="Nothing"/> (a null metav1.LabelSelector)
/// matches nothing.
/// </summary>
public sealed class LabelSelector
{
    private LabelSelector(IReadOnlyList<LabelRequirement> requirements, bool matchesNothing)
    {
        Requirements = requirements;
        MatchesNothing = matchesNothing;
    }

    public static LabelSelector Everything { get; } = new([], false);

    public static LabelSelector Nothing { get; } = new([], true);

    public IReadOnlyList<LabelRequirement> Requirements { get; }

    /// <summary>True for the selector that matches every object.</summary>
    public bool IsEmpty => Requirements.Count == 0 && !MatchesNothing;

    public bool MatchesNothing { get; }

    public bool Matches(IReadOnlyDictionary<string, string> labels) =>
        !MatchesNothing && Requirements.All(r => r.Matches(labels));

    /// <summary>Parses the labelSelector query syntax; a bad selector is a 400 with apimachinery's message.</summary>
    public static LabelSelector Parse(string? selector)
    {
        if (string.IsNullOrWhiteSpace(selector)) return Everything;
        try
        {
            return new(new LabelSelectorParser(selector).Parse(), false);
        }
        catch (FormatException ex)
        {
            throw ApiError.BadRequest(ex.Message);
        }
    }

    /// <summary>
    /// metav1.LabelSelector → selector, like LabelSelectorAsSelector: null matches nothing, {} matches everything,
    /// matchLabels and matchExpressions are ANDed.
    /// </summary>
    public static LabelSelector FromJson(JsonObject? selector)
    {
        if (selector is null) return Nothing;
        var reqs = new List<LabelRequirement>();
        if (selector["matchLabels"] is JsonObject ml)
            foreach (var (k, v) in ml)
                reqs.Add(Validated(k, LabelOperator.Equals, [Text(v)]));
        if (selector["matchExpressions"] is JsonArray exprs)
        {
            foreach (var e in exprs.OfType<JsonObject>())
            {
                var key = Text(e["key"]);
                var opText = Text(e["operator"]);
                var op = opText switch
                {
                    "In" => LabelOperator.In,
                    "NotIn" => LabelOperator.NotIn,
                    "Exists" => LabelOperator.Exists,
                    "DoesNotExist" => LabelOperator.DoesNotExist,
                    _ => throw ApiError.BadRequest($"\"{opText}\" is not a valid label selector operator"),
                };
                var values = e["values"] is JsonArray va ? va.Select(Text).ToList() : [];
                reqs.Add(Validated(key, op, values));
            }
        }
        return reqs.Count == 0 ? Everything : new(reqs, false);
    }

    private static LabelRequirement Validated(string key, LabelOperator op, IReadOnlyList<string> values)
    {
        try
        {
            return LabelSelectorParser.NewRequirement(key, op, values);
        }
        catch (FormatException ex)
        {
            throw ApiError.BadRequest(ex.Message);
        }
    }

    private static string Text(JsonNode? n) =>
        n is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : n?.ToJsonString() ?? "";

    public override string ToString() => MatchesNothing ? "<none>" : string.Join(",", Requirements);
}
