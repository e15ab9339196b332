using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace K8sHost.ApiMachinery.Errors;

/// <summary>
/// Values written the way Go's fmt writes them in kube-apiserver's messages: %q for strings (field errors' bad values)
/// and %v for decoded JSON (a patch shown as "map[data:str]"). Clients compare these texts.
/// </summary>
public static class GoText
{
    /// <summary>strconv.Quote: double quotes, with '"', '\\' and unprintable characters escaped; printable Unicode kept.</summary>
    public static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2).Append('"');
        foreach (var rune in s.EnumerateRunes())
        {
            var v = rune.Value;
            switch (v)
            {
                case '"': sb.Append("\\\""); continue;
                case '\\': sb.Append("\\\\"); continue;
                case '\a': sb.Append("\\a"); continue;
                case '\b': sb.Append("\\b"); continue;
                case '\f': sb.Append("\\f"); continue;
                case '\n': sb.Append("\\n"); continue;
                case '\r': sb.Append("\\r"); continue;
                case '\t': sb.Append("\\t"); continue;
                case '\v': sb.Append("\\v"); continue;
            }
            if (IsPrint(rune)) sb.Append(rune.ToString());
            else if (v < ' ' || v == 0x7f) sb.Append("\\x").Append(v.ToString("x2", CultureInfo.InvariantCulture));
            else if (v < 0x10000) sb.Append("\\u").Append(v.ToString("x4", CultureInfo.InvariantCulture));
            else sb.Append("\\U").Append(v.ToString("x8", CultureInfo.InvariantCulture));
        }
        return sb.Append('"').ToString();
    }

    /// <summary>fmt's %v of what encoding/json decodes into interface{}: maps with sorted keys, slices, float64 numbers.</summary>
    public static string Value(JsonNode? node)
    {
        var sb = new StringBuilder();
        Append(sb, node);
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, JsonNode? node)
    {
        switch (node)
        {
            case null:
                sb.Append("<nil>");
                break;
            case JsonObject o:
                sb.Append("map[");
                var first = true;
                foreach (var (k, v) in o.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (!first) sb.Append(' ');
                    first = false;
                    sb.Append(k).Append(':');
                    Append(sb, v);
                }
                sb.Append(']');
                break;
            case JsonArray a:
                sb.Append('[');
                for (var i = 0; i < a.Count; i++)
                {
                    if (i > 0) sb.Append(' ');
                    Append(sb, a[i]);
                }
                sb.Append(']');
                break;
            case JsonValue v:
                switch (v.GetValueKind())
                {
                    case JsonValueKind.String: sb.Append(v.GetValue<string>()); break;
                    case JsonValueKind.True: sb.Append("true"); break;
                    case JsonValueKind.False: sb.Append("false"); break;
                    case JsonValueKind.Number:
                        sb.Append(Float(double.Parse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)));
                        break;
                    default: sb.Append(v.ToJsonString()); break;
                }
                break;
        }
    }

    /// <summary>%v of a float64: the shortest digits, in exponent form when the exponent is below -4 or at least 6 ("1e+06").</summary>
    public static string Float(double d)
    {
        if (d == 0) return "0";
        if (!double.IsFinite(d)) return double.IsNaN(d) ? "NaN" : d > 0 ? "+Inf" : "-Inf";
        var sign = d < 0 ? "-" : "";
        var a = Math.Abs(d);
        var shortest = a.ToString("R", CultureInfo.InvariantCulture);
        var e = shortest.IndexOf('E');
        var significant = (e < 0 ? shortest : shortest[..e]).Replace(".", "").Trim('0').Length;
        var scientific = a.ToString("E" + Math.Max(0, significant - 1), CultureInfo.InvariantCulture);
        var exp = int.Parse(scientific[(scientific.IndexOf('E') + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        if (exp >= -4 && exp < 6) return sign + shortest;
        return $"{sign}{scientific[..scientific.IndexOf('E')]}e{(exp < 0 ? "-" : "+")}{Math.Abs(exp):00}";
    }

    private static bool IsPrint(Rune r)
    {
        if (r.Value == ' ') return true;
        return Rune.GetUnicodeCategory(r) switch
        {
            UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
                or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                or UnicodeCategory.SpaceSeparator => false,
            _ => true,
        };
    }
}
