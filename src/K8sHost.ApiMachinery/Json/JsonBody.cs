using System.Text.Json;
using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;

namespace K8sHost.ApiMachinery.Json;

/// <summary>
/// Decodes request bodies into JsonObject trees. Built on Utf8JsonReader rather than JsonNode.Parse because
/// JsonNode.Parse throws on duplicate keys without naming the path, and kube-apiserver's field validation
/// needs to report (Strict) or warn about (Warn) each duplicate by its full field path.
/// </summary>
public static class JsonBody
{
    /// <summary>
    /// Deeper than this is rejected (400): real manifests stay far below. It sits under <see cref="WireJson.MaxDepth"/> by
    /// the levels the server nests around a client's values (a managedFields entry mirrors the object's paths four levels
    /// down; lists, watch events and tables wrap objects), so whatever is accepted can be stored, re-read and served.
    /// </summary>
    public const int MaxDepth = WireJson.MaxDepth - ServerNesting;

    /// <summary>Levels the server may add around a client's deepest value (metadata.managedFields[i].fieldsV1 and wrappers).</summary>
    private const int ServerNesting = 16;

    /// <summary>
    /// An object body. What kube-apiserver cannot read a kind from (bad syntax, a top level that is not an object) throws
    /// <see cref="ApiError.Undecodable"/> with its words; JSON null is an empty object, as Go decodes it.
    /// </summary>
    public static JsonObject Parse(ReadOnlySpan<byte> utf8, FieldValidation mode, ICollection<string> warnings)
    {
        var duplicates = new List<string>();
        JsonNode? root;
        try
        {
            root = ReadAll(utf8, duplicates);
        }
        catch (ApiError e) when (e.UndecodableReason is { } reason)
        {
            throw ApiError.Undecodable(DecodeErrors.JsonParsePrefix + reason);
        }
        var obj = AsObject(root);
        ReportDuplicates(duplicates, mode, warnings);
        return obj;
    }

    /// <summary>The decoded top level as an object, or kube-apiserver's error for probing a non-object for its kind.</summary>
    internal static JsonObject AsObject(JsonNode? root) => root switch
    {
        JsonObject o => o,
        null => new JsonObject(),
        _ => throw ApiError.Undecodable(DecodeErrors.JsonParsePrefix +
            $"json: cannot unmarshal {GoValueName(root)} into Go value of type {DecodeErrors.KindProbeType}"),
    };

    private static string GoValueName(JsonNode node) => node.GetValueKind() switch
    {
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "bool",
        _ => "object",
    };

    /// <summary>Parses an application/yaml body (a single document) with the same rules as <see cref="Parse"/>.</summary>
    public static JsonObject ParseYaml(ReadOnlySpan<byte> utf8, FieldValidation mode, ICollection<string> warnings) =>
        ParseYaml(System.Text.Encoding.UTF8.GetString(utf8), mode, warnings);

    public static JsonObject ParseYaml(string yaml, FieldValidation mode, ICollection<string> warnings)
    {
        var duplicates = new List<(string Path, long Line)>();
        var obj = AsObject(YamlToJson.Convert(yaml, duplicates));
        if (duplicates.Count > 0 && mode != FieldValidation.Ignore)
        {
            // go-yaml's wording, which kube-apiserver passes through for YAML bodies.
            var lines = duplicates.Select(d => $"line {d.Line}: key \"{LastSegment(d.Path)}\" already set in map").ToList();
            if (mode == FieldValidation.Strict)
                throw ApiError.BadRequest("strict decoding error: yaml: unmarshal errors:\n  " + string.Join("\n  ", lines));
            foreach (var l in lines) warnings.Add(l);
        }
        return obj;
    }

    private static string LastSegment(string path)
    {
        var dot = path.LastIndexOf('.');
        return dot < 0 ? path : path[(dot + 1)..];
    }

    /// <summary>Any JSON value (patch documents may be arrays); no duplicate checks, last key wins.</summary>
    public static JsonNode? ParseAny(ReadOnlySpan<byte> utf8) => ReadAll(utf8, new List<string>());

    /// <summary>Any JSON value, collecting the paths of duplicate keys (last wins) for the caller to report.</summary>
    internal static JsonNode? ParseAny(ReadOnlySpan<byte> utf8, List<string> duplicates) => ReadAll(utf8, duplicates);

    private static JsonNode? ReadAll(ReadOnlySpan<byte> utf8, List<string> duplicates)
    {
        // Some editors save a UTF-8 byte order mark; the reader would reject it as an invalid start.
        if (utf8.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) utf8 = utf8[3..];
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = MaxDepth + 1, CommentHandling = JsonCommentHandling.Disallow });
            return ReadDocument(ref reader, duplicates);
        }
        catch (JsonException ex)
        {
            // Go's words for the first syntax error; ours when Go would have accepted the text (depth, number range).
            throw ApiError.Undecodable(GoJsonSyntax.FindError(utf8) ?? Describe(ex));
        }
        catch (InvalidOperationException ex)
        {
            // GetString() reports invalid UTF-8 inside a string this way.
            throw ApiError.Undecodable(ex.Message);
        }
    }

    internal static void ReportDuplicates(List<string> duplicates, FieldValidation mode, ICollection<string> warnings)
    {
        if (duplicates.Count == 0 || mode == FieldValidation.Ignore) return;
        if (mode == FieldValidation.Strict)
            throw ApiError.BadRequest("strict decoding error: " + string.Join(", ", duplicates.Select(d => $"duplicate field \"{d}\"")));
        foreach (var d in duplicates) warnings.Add($"duplicate field \"{d}\"");
    }

    private static string Describe(JsonException ex)
    {
        var msg = ex.Message;
        // The reader reports its own depth guard as "CurrentDepth (n) is equal to or larger than the maximum".
        if (msg.Contains("maximum configured depth", StringComparison.Ordinal) || msg.Contains("MaxDepth", StringComparison.Ordinal))
            return $"the object is nested deeper than the maximum depth of {MaxDepth}";
        return msg;
    }

    private static JsonNode? ReadDocument(ref Utf8JsonReader reader, List<string> duplicates)
    {
        if (!reader.Read()) throw new JsonException("unexpected end of JSON input");
        var value = ReadValue(ref reader, duplicates);
        if (reader.Read()) throw new JsonException("invalid character after top-level value");
        return value;
    }

    // Iterative builder: nesting is bounded by the reader's MaxDepth, but we avoid recursion anyway so depth
    // never turns into stack usage.
    private static JsonNode? ReadValue(ref Utf8JsonReader reader, List<string> duplicates)
    {
        var stack = new Stack<Frame>();
        while (true)
        {
            JsonNode? completed = null;
            var haveCompleted = false;
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    stack.Push(new Frame(new JsonObject(), PendingName: null));
                    break;
                case JsonTokenType.StartArray:
                    stack.Push(new Frame(new JsonArray(), PendingName: null));
                    break;
                case JsonTokenType.PropertyName:
                    stack.Peek().PendingName = reader.GetString();
                    break;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    completed = stack.Pop().Container;
                    haveCompleted = true;
                    break;
                case JsonTokenType.String:
                    completed = JsonValue.Create(reader.GetString());
                    haveCompleted = true;
                    break;
                case JsonTokenType.Number:
                    completed = ReadNumber(ref reader);
                    haveCompleted = true;
                    break;
                case JsonTokenType.True:
                case JsonTokenType.False:
                    completed = JsonValue.Create(reader.GetBoolean());
                    haveCompleted = true;
                    break;
                case JsonTokenType.Null:
                    completed = null;
                    haveCompleted = true;
                    break;
                default:
                    throw new JsonException($"unexpected token {reader.TokenType}");
            }

            if (haveCompleted)
            {
                if (stack.Count == 0) return completed;
                var parent = stack.Peek();
                if (parent.Container is JsonArray arr) arr.Add(completed);
                else
                {
                    var obj = (JsonObject)parent.Container;
                    var name = parent.PendingName!;
                    if (obj.ContainsKey(name))
                    {
                        duplicates.Add(PathOf(stack, name));
                        obj.Remove(name);
                    }
                    obj[name] = completed;
                    parent.PendingName = null;
                }
            }
            if (!reader.Read()) throw new JsonException("unexpected end of JSON input");
        }
    }

    private static string PathOf(Stack<Frame> stack, string leaf)
    {
        // Stack enumerates top-first; the path is built root-first.
        var frames = stack.Reverse().ToArray();
        var sb = new System.Text.StringBuilder();
        for (var i = 0; i < frames.Length; i++)
        {
            var f = frames[i];
            if (i == frames.Length - 1) break;
            // The child of frame i sits at frame i's pending name or at its array's next index.
            if (f.Container is JsonArray a) sb.Append('[').Append(a.Count).Append(']');
            else
            {
                if (sb.Length > 0) sb.Append('.');
                sb.Append(f.PendingName);
            }
        }
        if (sb.Length > 0) sb.Append('.');
        sb.Append(leaf);
        return sb.ToString();
    }

    private static JsonNode ReadNumber(ref Utf8JsonReader reader)
    {
        if (reader.TryGetInt64(out var l)) return JsonValue.Create(l);
        if (reader.TryGetDecimal(out var m) && !reader.ValueSpan.Contains((byte)'e') && !reader.ValueSpan.Contains((byte)'E'))
            return JsonValue.Create(m);
        if (reader.TryGetDouble(out var d) && double.IsFinite(d)) return JsonValue.Create(d);
        throw new JsonException("number out of range");
    }

    private sealed class Frame(JsonNode container, string? PendingName)
    {
        public JsonNode Container { get; } = container;
        public string? PendingName { get; set; } = PendingName;
    }
}
