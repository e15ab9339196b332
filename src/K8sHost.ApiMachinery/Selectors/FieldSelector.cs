using System.Text;
using K8sHost.ApiMachinery.Errors;

namespace K8sHost.ApiMachinery.Selectors;

/// <summary>One clause of a field selector: "field=value" / "field==value" (Equal is true) or "field!=value".</summary>
public sealed record FieldRequirement(string Field, bool Equal, string Value)
{
    // A missing field reads as "", like apimachinery's fields.Set.Get.
    public bool Matches(IReadOnlyDictionary<string, string> fields) =>
        (fields.TryGetValue(Field, out var v) ? v : "") == Value == Equal;

    public override string ToString() => $"{Field}{(Equal ? "=" : "!=")}{FieldSelector.EscapeValue(Value)}";
}

/// <summary>
/// A parsed fieldSelector: the AND of "field=value", "field==value" and "field!=value" terms. Values may escape
/// ',', '=' and '\' with a backslash, as apimachinery's fields.EscapeValue writes them.
/// </summary>
public sealed class FieldSelector
{
    private FieldSelector(IReadOnlyList<FieldRequirement> requirements) => Requirements = requirements;

    public static FieldSelector Everything { get; } = new([]);

    public IReadOnlyList<FieldRequirement> Requirements { get; }

    public bool IsEmpty => Requirements.Count == 0;

    /// <summary>The field labels the selector uses, so a registry can reject unsupported ones ("field label not supported: x").</summary>
    public IEnumerable<string> Fields => Requirements.Select(r => r.Field).Distinct();

    public bool Matches(IReadOnlyDictionary<string, string> fields) => Requirements.All(r => r.Matches(fields));

    /// <summary>The value the selector requires by equality on <paramref name="field"/> (metadata.name=x lets a list become a get).</summary>
    public bool TryGetExact(string field, out string value)
    {
        foreach (var r in Requirements)
        {
            if (r.Field == field && r.Equal)
            {
                value = r.Value;
                return true;
            }
        }
        value = "";
        return false;
    }

    public static FieldSelector Parse(string? selector)
    {
        if (string.IsNullOrEmpty(selector)) return Everything;
        var reqs = new List<FieldRequirement>();
        // apimachinery sorts the terms, which fixes the order requirements are reported and evaluated in.
        var terms = SplitTerms(selector);
        terms.Sort(StringComparer.Ordinal);
        foreach (var term in terms)
        {
            if (term.Length == 0) continue;
            var (lhs, op, rhs) = SplitTerm(term);
            if (op is null) throw ApiError.BadRequest($"invalid selector: '{selector}'; can't understand '{term}'");
            reqs.Add(new FieldRequirement(lhs, op != "!=", UnescapeValue(rhs)));
        }
        return new(reqs);
    }

    public static string EscapeValue(string value) =>
        value.Replace("\\", "\\\\").Replace(",", "\\,").Replace("=", "\\=");

    // Commas separate terms unless escaped.
    private static List<string> SplitTerms(string s)
    {
        var terms = new List<string>();
        var start = 0;
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\') { i++; continue; }
            if (s[i] == ',')
            {
                terms.Add(s[start..i]);
                start = i + 1;
            }
        }
        terms.Add(s[start..]);
        return terms;
    }

    // The lhs cannot be escaped, so the first operator anywhere splits the term; "!=" and "==" win over "=" at a position.
    private static (string Lhs, string? Op, string Rhs) SplitTerm(string term)
    {
        for (var i = 0; i < term.Length; i++)
            foreach (var op in (string[])["!=", "==", "="])
                if (string.CompareOrdinal(term, i, op, 0, op.Length) == 0)
                    return (term[..i], op, term[(i + op.Length)..]);
        return (term, null, "");
    }

    private static string UnescapeValue(string s)
    {
        if (s.IndexOfAny(['\\', '=', ',']) < 0) return s;
        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '\\')
            {
                if (i + 1 >= s.Length || s[i + 1] is not ('\\' or ',' or '='))
                    throw ApiError.BadRequest($"invalid field selector: invalid escape sequence: {s[i..Math.Min(s.Length, i + 2)]}");
                sb.Append(s[++i]);
            }
            else if (c is '=' or ',')
            {
                // Go prints the rune with %v, i.e. as its number ("61" for '=').
                throw ApiError.BadRequest($"invalid field selector: unescaped character in value: {(int)c}");
            }
            else sb.Append(c);
        }
        return sb.ToString();
    }

    public override string ToString() => string.Join(",", Requirements);
}
