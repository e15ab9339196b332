using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using K8sHost.ApiMachinery.Errors;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace K8sHost.ApiMachinery.Json;

/// <summary>
/// Converts one YAML document to a JSON tree from the parser's event stream (not YamlStream) so that deep
/// nesting never recurses and duplicate keys can be reported by path, as the JSON decoder does.
/// Plain scalars resolve like the YAML 1.2 core schema (true/false, null, ints, floats); quoted ones stay strings.
/// </summary>
internal static partial class YamlToJson
{
    // Aliases can explode exponentially ("billion laughs"); cap how many nodes they may copy in one document.
    // Plain nodes need no cap: the request body size bounds them.
    private const int MaxAliasNodes = 20_000;

    public static JsonNode? Convert(string yaml, List<(string Path, long Line)> duplicates)
    {
        try
        {
            return ConvertCore(yaml, duplicates);
        }
        catch (YamlException ex)
        {
            throw ApiError.Undecodable($"error converting YAML to JSON: yaml: line {ex.Start.Line}: {GoYamlProblem(ex.Message)}");
        }
    }

    // YamlDotNet words a problem as "While parsing X, did not find expected Y."; go-yaml (whose text kube-apiserver
    // passes on) prints the problem alone: "did not find expected Y".
    private static string GoYamlProblem(string message)
    {
        var text = message.TrimEnd('.');
        if (text.StartsWith("While ", StringComparison.Ordinal) && text.IndexOf(", ", StringComparison.Ordinal) is > 0 and var comma)
            text = text[(comma + 2)..];
        return text;
    }

    private static JsonNode? ConvertCore(string yaml, List<(string Path, long Line)> duplicates)
    {
        var parser = new Parser(new StringReader(yaml));
        var anchors = new Dictionary<string, (JsonNode? Node, int Size)>(StringComparer.Ordinal);
        var stack = new Stack<Frame>();
        var aliasNodes = 0;
        parser.Consume<StreamStart>();
        if (parser.Accept<StreamEnd>(out _))
            return null; // no document: YAML null, which decodes as an empty object
        parser.Consume<DocumentStart>();

        while (true)
        {
            var ev = parser.Consume<ParsingEvent>();
            JsonNode? completed;
            switch (ev)
            {
                case MappingStart ms:
                    Push(stack, new Frame(new JsonObject(), ms.Anchor.IsEmpty ? null : ms.Anchor.Value));
                    continue;
                case SequenceStart ss:
                    Push(stack, new Frame(new JsonArray(), ss.Anchor.IsEmpty ? null : ss.Anchor.Value));
                    continue;
                case MappingEnd:
                case SequenceEnd:
                    {
                        var f = stack.Pop();
                        completed = f.Container;
                        if (f.Anchor is not null) anchors[f.Anchor] = (completed.DeepClone(), CountNodes(completed));
                        break;
                    }
                case Scalar sc:
                    {
                        var top = stack.Count > 0 ? stack.Peek() : null;
                        if (top?.Container is JsonObject && top.PendingKey is null)
                        {
                            top.PendingKey = sc.Value;
                            top.PendingKeyLine = sc.Start.Line;
                            continue;
                        }
                        completed = Resolve(sc);
                        if (!sc.Anchor.IsEmpty) anchors[sc.Anchor.Value] = (completed?.DeepClone(), 1);
                        break;
                    }
                case AnchorAlias alias:
                    {
                        if (!anchors.TryGetValue(alias.Value.Value, out var anchored))
                            throw ApiError.Undecodable($"error converting YAML to JSON: yaml: unknown anchor '{alias.Value.Value}' referenced");
                        aliasNodes += anchored.Size;
                        if (aliasNodes > MaxAliasNodes)
                            throw ApiError.Undecodable("error converting YAML to JSON: yaml: document contains excessive aliasing");
                        var target = anchored.Node;
                        var top = stack.Count > 0 ? stack.Peek() : null;
                        if (top?.Container is JsonObject && top.PendingKey is null)
                        {
                            top.PendingKey = target is JsonValue v ? v.ToString() : throw ApiError.Undecodable("error converting YAML to JSON: yaml: mapping keys must be scalars");
                            top.PendingKeyLine = alias.Start.Line;
                            continue;
                        }
                        completed = target?.DeepClone();
                        break;
                    }
                default:
                    throw ApiError.Undecodable("error converting YAML to JSON: yaml: unexpected document structure");
            }

            if (stack.Count == 0)
            {
                parser.Consume<DocumentEnd>();
                // Only the first document is read: kube-apiserver accepts a single object per request.
                return completed;
            }
            var parent = stack.Peek();
            if (parent.Container is JsonArray arr) arr.Add(completed);
            else
            {
                var obj = (JsonObject)parent.Container;
                var key = parent.PendingKey!;
                if (obj.ContainsKey(key))
                {
                    duplicates.Add((PathOf(stack, key), parent.PendingKeyLine));
                    obj.Remove(key);
                }
                obj[key] = completed;
                parent.PendingKey = null;
            }
        }
    }

    private static void Push(Stack<Frame> stack, Frame frame)
    {
        if (stack.Count > 0 && stack.Peek().Container is JsonObject && stack.Peek().PendingKey is null)
            throw ApiError.Undecodable("error converting YAML to JSON: yaml: mapping keys must be scalars");
        if (stack.Count >= JsonBody.MaxDepth)
            throw ApiError.Undecodable($"the object is nested deeper than the maximum depth of {JsonBody.MaxDepth}");
        stack.Push(frame);
    }

    private static int CountNodes(JsonNode? node) => node switch
    {
        JsonObject o => 1 + o.Sum(kv => CountNodes(kv.Value)),
        JsonArray a => 1 + a.Sum(CountNodes),
        _ => 1,
    };

    private static string PathOf(Stack<Frame> stack, string leaf)
    {
        var frames = stack.Reverse().ToArray();
        var sb = new System.Text.StringBuilder();
        for (var i = 0; i < frames.Length - 1; i++)
        {
            if (frames[i].Container is JsonArray a) sb.Append('[').Append(a.Count).Append(']');
            else
            {
                if (sb.Length > 0) sb.Append('.');
                sb.Append(frames[i].PendingKey);
            }
        }
        if (sb.Length > 0) sb.Append('.');
        sb.Append(leaf);
        return sb.ToString();
    }

    private static JsonNode? Resolve(Scalar sc)
    {
        var tag = sc.Tag.IsEmpty ? null : sc.Tag.Value;
        if (tag is "tag:yaml.org,2002:str") return JsonValue.Create(sc.Value);
        if (sc.Style != ScalarStyle.Plain && tag is null) return JsonValue.Create(sc.Value);
        var v = sc.Value;
        switch (v)
        {
            case "" or "~" or "null" or "Null" or "NULL": return null;
            case "true" or "True" or "TRUE": return JsonValue.Create(true);
            case "false" or "False" or "FALSE": return JsonValue.Create(false);
        }
        if (IntRegex().IsMatch(v) && long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
            return JsonValue.Create(l);
        if (v.StartsWith("0x", StringComparison.Ordinal) && long.TryParse(v.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
            return JsonValue.Create(hex);
        if (v.StartsWith("0o", StringComparison.Ordinal))
        {
            try { return JsonValue.Create(System.Convert.ToInt64(v[2..], 8)); }
            catch (FormatException) { }
            catch (OverflowException) { }
        }
        if (FloatRegex().IsMatch(v) && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
        {
            if (decimal.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var m) && !v.Contains('e') && !v.Contains('E'))
                return JsonValue.Create(m);
            return JsonValue.Create(d);
        }
        return JsonValue.Create(v);
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex IntRegex();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatRegex();

    private sealed class Frame(JsonNode container, string? anchor)
    {
        public JsonNode Container { get; } = container;
        public string? Anchor { get; } = anchor;
        public string? PendingKey { get; set; }

        public long PendingKeyLine { get; set; }
    }
}
