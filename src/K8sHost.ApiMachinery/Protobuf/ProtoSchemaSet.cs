namespace K8sHost.ApiMachinery.Protobuf;

/// <summary>
/// Message tables parsed from a compact text form, plus which top-level kinds map to which message.
///
/// The text is line based. <c>package NAME APIVERSION</c> starts a package ("*" as the apiVersion: its kinds are
/// accepted under every group version, as metav1.DeleteOptions is). Then one message per line, continued on following
/// lines that start with whitespace:
/// <code>
/// [kind] Name: NUMBER [^]jsonName TYPE[*]; ...
/// </code>
/// <c>kind</c> marks a top-level kind of the package; <c>^</c> an inline (embedded) field; <c>*</c> a field whose zero
/// value is kept. TYPE is a scalar (string, bytes, int32, int64, bool, double), a special type (Time, MicroTime,
/// IntOrString, Quantity, RawExtension, FieldsV1, StringList), a message name (unqualified = same package,
/// or pkg.Name), <c>[]TYPE</c> (repeated) or <c>map&lt;TYPE&gt;</c> (map with string keys). Lines starting with # are
/// comments.
/// </summary>
public sealed class ProtoSchemaSet
{
    private readonly Dictionary<string, ProtoMessage> _messages = new(StringComparer.Ordinal);
    private readonly Dictionary<(string ApiVersion, string Kind), string> _kinds = [];
    private readonly Dictionary<string, string> _anyVersionKinds = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, ProtoMessage> Messages => _messages;

    /// <summary>Top-level kinds as (apiVersion, kind) → message name; "*" apiVersion kinds are listed once with "*".</summary>
    public IEnumerable<(string ApiVersion, string Kind, string Message)> Kinds =>
        _kinds.Select(k => (k.Key.ApiVersion, k.Key.Kind, k.Value)).Concat(_anyVersionKinds.Select(k => ("*", k.Key, k.Value)));

    public ProtoMessage Message(string name) =>
        _messages.TryGetValue(name, out var m) ? m : throw new KeyNotFoundException($"protobuf message {name} is not in the tables");

    /// <summary>The message for a top-level kind, or null when the kind is not in the tables.</summary>
    public ProtoMessage? FindKind(string apiVersion, string kind) =>
        _kinds.TryGetValue((apiVersion, kind), out var name) || _anyVersionKinds.TryGetValue(kind, out name) ? _messages[name] : null;

    /// <summary>Parses the tables; throws FormatException naming the line on any mistake, including unresolved types.</summary>
    public static ProtoSchemaSet Parse(params string[] texts)
    {
        var set = new ProtoSchemaSet();
        var pending = new List<(string Message, string Text, string Package, int Line)>();
        foreach (var text in texts)
        {
            string? package = null, apiVersion = null;
            var lineNo = 0;
            foreach (var raw in text.Split('\n'))
            {
                lineNo++;
                var line = raw.TrimEnd();
                if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#')) continue;
                if (char.IsWhiteSpace(line[0]))
                {
                    if (pending.Count == 0) throw new FormatException($"line {lineNo}: continuation without a message");
                    var last = pending[^1];
                    pending[^1] = last with { Text = last.Text + " " + line.Trim() };
                    continue;
                }
                if (line.StartsWith("package ", StringComparison.Ordinal))
                {
                    var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (parts.Length != 3) throw new FormatException($"line {lineNo}: expected 'package NAME APIVERSION'");
                    (package, apiVersion) = (parts[1], parts[2]);
                    continue;
                }
                if (package is null || apiVersion is null) throw new FormatException($"line {lineNo}: message before any package");
                var colon = line.IndexOf(':');
                if (colon < 0) throw new FormatException($"line {lineNo}: expected 'Name: fields'");
                var head = line[..colon].Trim();
                var isKind = head.StartsWith("kind ", StringComparison.Ordinal);
                var name = isKind ? head[5..].Trim() : head;
                var qualified = $"{package}.{name}";
                if (isKind)
                {
                    if (apiVersion == "*") set._anyVersionKinds[name] = qualified;
                    else set._kinds[(apiVersion, name)] = qualified;
                }
                pending.Add((qualified, line[(colon + 1)..], package, lineNo));
            }
        }
        // Two passes: message names must all be known before field types are resolved.
        var names = pending.Select(p => p.Message).ToHashSet(StringComparer.Ordinal);
        foreach (var (message, body, package, line) in pending)
        {
            if (set._messages.ContainsKey(message)) throw new FormatException($"line {line}: message {message} declared twice");
            set._messages[message] = new ProtoMessage(message, ParseFields(body, package, names, message, line));
        }
        return set;
    }

    private static Dictionary<int, ProtoField> ParseFields(string body, string package, HashSet<string> names, string message, int line)
    {
        var fields = new Dictionary<int, ProtoField>();
        foreach (var part in body.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var tokens = part.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (tokens.Length != 3 || !int.TryParse(tokens[0], out var number) || number <= 0)
                throw new FormatException($"line {line} ({message}): expected 'NUMBER name type' in '{part}'");
            var jsonName = tokens[1];
            var inline = jsonName.StartsWith('^');
            if (inline) jsonName = jsonName[1..];
            var type = tokens[2];
            var keepZero = type.EndsWith('*');
            if (keepZero) type = type[..^1];
            var shape = FieldShape.Single;
            if (type.StartsWith("[]", StringComparison.Ordinal)) { shape = FieldShape.Repeated; type = type[2..]; }
            else if (type.StartsWith("map<", StringComparison.Ordinal) && type.EndsWith('>')) { shape = FieldShape.Map; type = type[4..^1]; }
            var (protoType, messageName) = ResolveType(type, package, names, message, line);
            if (inline && (protoType != ProtoType.Message || shape != FieldShape.Single))
                throw new FormatException($"line {line} ({message}): only a single message field can be inline ({jsonName})");
            if (!fields.TryAdd(number, new ProtoField(number, jsonName, protoType, shape, messageName, inline, keepZero)))
                throw new FormatException($"line {line} ({message}): field number {number} used twice");
        }
        return fields;
    }

    private static (ProtoType, string?) ResolveType(string type, string package, HashSet<string> names, string message, int line)
    {
        if (Enum.TryParse<ProtoType>(type, ignoreCase: false, out var special) && special != ProtoType.Message && char.IsUpper(type[0]))
            return (special, null);
        switch (type)
        {
            case "string": return (ProtoType.String, null);
            case "bytes": return (ProtoType.Bytes, null);
            case "int32": return (ProtoType.Int32, null);
            case "int64": return (ProtoType.Int64, null);
            case "bool": return (ProtoType.Bool, null);
            case "double": return (ProtoType.Double, null);
        }
        var qualified = type.Contains('.') ? type : $"{package}.{type}";
        if (!names.Contains(qualified)) throw new FormatException($"line {line} ({message}): unknown type {type}");
        return (ProtoType.Message, qualified);
    }
}
