using System.Text.Json;
using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;
using K8sHost.ApiMachinery.Json;

namespace K8sHost.ApiMachinery.Patch;

/// <summary>
/// RFC 6902 JSON Patch (application/json-patch+json). A malformed patch document is a 400; an operation that
/// cannot apply (missing path, failed test, bad index) is a 422 Invalid without causes, as kube-apiserver answers.
/// </summary>
public static class JsonPatch
{
    // "copy" can double the document per operation; cap the total copied so a short patch cannot exhaust memory.
    private const int MaxCopiedNodes = 50_000;

    public static JsonNode Apply(JsonNode target, ReadOnlySpan<byte> patch)
    {
        var doc = JsonBody.ParseAny(patch);
        if (doc is not JsonArray ops)
            throw ApiError.BadRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
        return Apply(target, ops);
    }

    private static readonly HashSet<string> OperationFields = ["op", "path", "from", "value"];

    /// <summary>
    /// Decodes a JSON patch document and applies field validation to the operations themselves, as kube-apiserver
    /// does: unknown or duplicate keys in an operation are "json patch unknown field \"[0].foo\"" /
    /// "json patch duplicate field \"[1].path\"" — a 400 under Strict, warnings under Warn.
    /// </summary>
    public static JsonArray Decode(ReadOnlySpan<byte> patch, FieldValidation mode, ICollection<string> warnings)
    {
        var duplicates = new List<string>();
        if (JsonBody.ParseAny(patch, duplicates) is not JsonArray ops)
            throw ApiError.BadRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
        var problems = new List<string>();
        for (var i = 0; i < ops.Count; i++)
            if (ops[i] is JsonObject o)
                foreach (var key in o.Select(kv => kv.Key).Where(k => !OperationFields.Contains(k)))
                    problems.Add($"json patch unknown field \"[{i}].{key}\"");
        problems.AddRange(duplicates.Select(d => $"json patch duplicate field \"{d}\""));
        if (problems.Count > 0 && mode == FieldValidation.Strict)
            throw ApiError.BadRequest("strict decoding error: " + string.Join(", ", problems));
        if (mode == FieldValidation.Warn)
            foreach (var p in problems) warnings.Add(p);
        return ops;
    }

    public static JsonNode Apply(JsonNode target, JsonArray ops)
    {
        var parsed = ops.Select(ParseOperation).ToList();
        JsonNode? doc = target.DeepClone();
        var copied = 0;
        foreach (var op in parsed)
        {
            switch (op.Op)
            {
                case "add":
                    doc = Add(doc, op.Path, RequireValue(op), "add");
                    break;
                case "remove":
                    doc = Remove(doc, op.Path, out _, "remove");
                    break;
                case "replace":
                    {
                        var path = JsonPointer.Parse(op.Path);
                        if (path.Length == 0) { doc = RequireValue(op); break; }
                        var (parent, last) = Resolve(doc, path, op.Path, "replace");
                        if (!Exists(parent, last)) throw Unprocessable($"replace operation does not apply: doc is missing key: {op.Path}: missing value");
                        Set(parent, last, RequireValue(op));
                        break;
                    }
                case "move":
                    {
                        var from = RequireFrom(op);
                        if (op.Path.StartsWith(from + "/", StringComparison.Ordinal))
                            throw Unprocessable($"move operation does not apply: cannot move \"{from}\" into its own child \"{op.Path}\"");
                        if (from == op.Path) { _ = Get(doc, from, "move"); break; }
                        doc = Remove(doc, from, out var moved, "move");
                        doc = Add(doc, op.Path, moved, "move");
                        break;
                    }
                case "copy":
                    {
                        var source = Get(doc, RequireFrom(op), "copy");
                        copied += Count(source, MaxCopiedNodes - copied + 1);
                        if (copied > MaxCopiedNodes) throw Unprocessable("copy operation does not apply: the copied size exceeds the limit");
                        doc = Add(doc, op.Path, source?.DeepClone(), "copy");
                        break;
                    }
                case "test":
                    {
                        var actual = Get(doc, op.Path, "test");
                        if (!JsonNode.DeepEquals(actual, op.Value)) throw Unprocessable($"testing value {op.Path} failed: test failed");
                        break;
                    }
                default:
                    throw Unprocessable($"Unexpected kind: {op.Op}");
            }
        }
        return doc ?? throw Unprocessable("the patch removed the whole document");
    }

    private sealed record Operation(string Op, string Path, string? From, bool HasValue, JsonNode? Value);

    private static Operation ParseOperation(JsonNode? node)
    {
        if (node is not JsonObject o)
            throw ApiError.BadRequest("json: cannot unmarshal into Go value of type jsonpatch.Operation: each operation must be an object");
        var op = StringField(o, "op") ?? throw Unprocessable("operation missing \"op\"");
        var path = StringField(o, "path") ?? throw Unprocessable($"{op} operation missing \"path\"");
        return new Operation(op, path, StringField(o, "from"), o.ContainsKey("value"), o["value"]);
    }

    private static string? StringField(JsonObject o, string key)
    {
        var n = o[key];
        if (n is null) return null;
        if (n is JsonValue v && v.GetValueKind() == JsonValueKind.String) return v.GetValue<string>();
        throw ApiError.BadRequest($"json: cannot unmarshal {n.GetValueKind().ToString().ToLowerInvariant()} into Go value of type string (field \"{key}\")");
    }

    private static JsonNode? RequireValue(Operation op) =>
        op.HasValue ? op.Value?.DeepClone() : throw Unprocessable($"{op.Op} operation does not apply: missing value");

    private static string RequireFrom(Operation op) =>
        op.From ?? throw Unprocessable($"{op.Op} operation does not apply: missing from");

    private static JsonNode? Add(JsonNode? doc, string pointer, JsonNode? value, string opName)
    {
        var path = JsonPointer.Parse(pointer);
        if (path.Length == 0) return value;
        var (parent, last) = Resolve(doc, path, pointer, opName);
        switch (parent)
        {
            case JsonObject obj:
                obj.Remove(last);
                obj[last] = value;
                break;
            case JsonArray arr:
                if (last == "-") { arr.Add(value); break; }
                var idx = Index(last, arr.Count, inclusive: true, opName);
                arr.Insert(idx, value);
                break;
            default:
                throw Unprocessable($"{opName} operation does not apply: doc is missing path: \"{pointer}\": missing value");
        }
        return doc;
    }

    private static JsonNode? Remove(JsonNode? doc, string pointer, out JsonNode? removed, string opName)
    {
        var path = JsonPointer.Parse(pointer);
        if (path.Length == 0)
        {
            removed = doc;
            return null;
        }
        var (parent, last) = Resolve(doc, path, pointer, opName);
        switch (parent)
        {
            case JsonObject obj when obj.ContainsKey(last):
                removed = obj[last];
                obj.Remove(last);
                return doc;
            case JsonArray arr when last != "-":
                var idx = Index(last, arr.Count, inclusive: false, opName);
                removed = arr[idx];
                arr.RemoveAt(idx);
                return doc;
            default:
                throw Unprocessable($"{opName} operation does not apply: doc is missing path: \"{pointer}\": missing value");
        }
    }

    private static JsonNode? Get(JsonNode? doc, string pointer, string opName)
    {
        var path = JsonPointer.Parse(pointer);
        if (path.Length == 0) return doc;
        var (parent, last) = Resolve(doc, path, pointer, opName);
        return parent switch
        {
            JsonObject o when o.ContainsKey(last) => o[last],
            JsonArray a when last != "-" => a[Index(last, a.Count, inclusive: false, opName)],
            _ => throw Unprocessable($"{opName} operation does not apply: doc is missing path: \"{pointer}\": missing value"),
        };
    }

    // Walks to the container of the last path token.
    private static (JsonNode? Parent, string Last) Resolve(JsonNode? doc, string[] path, string pointer, string opName)
    {
        var node = doc;
        for (var i = 0; i < path.Length - 1; i++)
        {
            node = node switch
            {
                JsonObject o when o.ContainsKey(path[i]) => o[path[i]],
                JsonArray a when path[i] != "-" => a[Index(path[i], a.Count, inclusive: false, opName)],
                _ => throw Unprocessable($"{opName} operation does not apply: doc is missing path: \"{pointer}\": missing value"),
            };
        }
        return (node, path[^1]);
    }

    private static bool Exists(JsonNode? parent, string last) => parent switch
    {
        JsonObject o => o.ContainsKey(last),
        JsonArray a => int.TryParse(last, out var i) && i >= 0 && i < a.Count,
        _ => false,
    };

    private static void Set(JsonNode? parent, string last, JsonNode? value)
    {
        if (parent is JsonObject o) o[last] = value;
        else if (parent is JsonArray a) a[int.Parse(last, System.Globalization.CultureInfo.InvariantCulture)] = value;
    }

    private static int Index(string token, int count, bool inclusive, string opName)
    {
        var ok = token.Length > 0 && token.All(char.IsAsciiDigit) && (token.Length == 1 || token[0] != '0') &&
            int.TryParse(token, out var idx) && idx <= (inclusive ? count : count - 1);
        return ok ? int.Parse(token, System.Globalization.CultureInfo.InvariantCulture)
            : throw Unprocessable($"{opName} operation does not apply: Unable to access invalid index: {token}: invalid index referenced");
    }

    // Counts nodes but stops once past the limit, so measuring a huge document costs no more than the limit.
    private static int Count(JsonNode? root, int limit)
    {
        var count = 0;
        var pending = new Stack<JsonNode?>();
        pending.Push(root);
        while (pending.Count > 0 && count <= limit)
        {
            var node = pending.Pop();
            count++;
            if (node is JsonObject o) foreach (var kv in o) pending.Push(kv.Value);
            else if (node is JsonArray a) foreach (var item in a) pending.Push(item);
        }
        return count;
    }

    internal static ApiError Unprocessable(string message) => new(422, "Invalid", message);
}
