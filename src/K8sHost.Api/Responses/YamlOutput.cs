using System.Globalization;
using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace K8sHost.Api.Responses;

/// <summary>
/// Renders JSON as block YAML (what `Accept: application/yaml` gets). Strings that a YAML 1.1 reader would take for
/// a number, bool or null are quoted so the document reads back with the same types.
/// </summary>
public static class YamlOutput
{
    public static string FromJson(ReadOnlySpan<byte> json)
    {
        using var doc = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 256 });
        var sw = new StringWriter(CultureInfo.InvariantCulture);
        var em = new Emitter(sw);
        em.Emit(new StreamStart());
        em.Emit(new DocumentStart(null, null, true));
        Emit(em, doc.RootElement);
        em.Emit(new DocumentEnd(true));
        em.Emit(new StreamEnd());
        return sw.ToString();
    }

    private static void Emit(IEmitter em, JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                var emptyObj = !e.EnumerateObject().Any();
                em.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, emptyObj ? MappingStyle.Flow : MappingStyle.Block));
                foreach (var p in e.EnumerateObject())
                {
                    EmitString(em, p.Name);
                    Emit(em, p.Value);
                }
                em.Emit(new MappingEnd());
                break;
            case JsonValueKind.Array:
                var emptyArr = e.GetArrayLength() == 0;
                em.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, true, emptyArr ? SequenceStyle.Flow : SequenceStyle.Block));
                foreach (var item in e.EnumerateArray()) Emit(em, item);
                em.Emit(new SequenceEnd());
                break;
            case JsonValueKind.String:
                EmitString(em, e.GetString()!);
                break;
            case JsonValueKind.Number:
                em.Emit(new Scalar(AnchorName.Empty, TagName.Empty, e.GetRawText(), ScalarStyle.Plain, true, false));
                break;
            case JsonValueKind.True:
                em.Emit(new Scalar(AnchorName.Empty, TagName.Empty, "true", ScalarStyle.Plain, true, false));
                break;
            case JsonValueKind.False:
                em.Emit(new Scalar(AnchorName.Empty, TagName.Empty, "false", ScalarStyle.Plain, true, false));
                break;
            default:
                em.Emit(new Scalar(AnchorName.Empty, TagName.Empty, "null", ScalarStyle.Plain, true, false));
                break;
        }
    }

    private static void EmitString(IEmitter em, string s)
    {
        var style = LooksLikeNonString(s) ? ScalarStyle.DoubleQuoted : s.Contains('\n') ? ScalarStyle.Literal : ScalarStyle.Any;
        em.Emit(new Scalar(AnchorName.Empty, TagName.Empty, s, style, true, true));
    }

    private static bool LooksLikeNonString(string s)
    {
        if (s.Length == 0) return true;
        switch (s.ToLowerInvariant())
        {
            case "true" or "false" or "yes" or "no" or "on" or "off" or "y" or "n" or "null" or "~":
            case ".inf" or "-.inf" or "+.inf" or ".nan":
                return true;
        }
        var c = s[0];
        return (char.IsAsciiDigit(c) || c is '-' or '+' or '.') && double.TryParse(s.Replace("_", ""), NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            || s.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || s.StartsWith("0o", StringComparison.OrdinalIgnoreCase);
    }
}
