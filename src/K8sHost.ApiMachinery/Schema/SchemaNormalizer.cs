using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;

namespace K8sHost.ApiMachinery.Schema;

/// <summary>
/// Checks a decoded body against a typed model the way apimachinery's strict decoder does: unknown fields are
/// rejected (Strict), dropped with a warning (Warn) or dropped silently (Ignore); values of the wrong JSON type
/// are always a 400. The object is changed in place: unknown fields and fields set to null are removed (Go
/// decodes a null into the zero value, which omitempty then omits), numeric quantities become strings.
/// </summary>
public static class SchemaNormalizer
{
    public static void Normalize(JsonObject obj, Type modelType, FieldValidation mode, ICollection<string> warnings)
    {
        var unknown = new List<string>();
        var root = SchemaNode.For(modelType);
        NormalizeObject(obj, root, "", unknown);
        if (unknown.Count == 0) return;
        switch (mode)
        {
            case FieldValidation.Strict:
                throw ApiError.BadRequest("strict decoding error: " + string.Join(", ", unknown.Select(u => $"unknown field \"{u}\"")));
            case FieldValidation.Warn:
                foreach (var u in unknown) warnings.Add($"unknown field \"{u}\"");
                break;
        }
    }

    /// <summary>
    /// <see cref="Normalize(JsonObject, Type, FieldValidation, ICollection{string})"/> with kube-apiserver's decode-error
    /// prefix: "Pod in version \"v1\" cannot be handled as a Pod: strict decoding error: unknown field \"spec.foo\"".
    /// </summary>
    public static void Normalize(JsonObject obj, Type modelType, string kind, string version, FieldValidation mode, ICollection<string> warnings)
    {
        try
        {
            Normalize(obj, modelType, mode, warnings);
        }
        catch (ApiError e) when (e.Code == 400)
        {
            throw CannotBeHandled(kind, version, e.Message);
        }
    }

    /// <summary>The 400 kube-apiserver answers when a body cannot be decoded into the kind (transformDecodeError).</summary>
    public static ApiError CannotBeHandled(string kind, string version, string why) =>
        ApiError.BadRequest($"{kind} in version \"{version}\" cannot be handled as a {kind}: {why}");

    /// <summary>The CLR type of a model's field by its JSON name ("spec" on V1Pod → V1PodSpec), or null if unknown.</summary>
    public static Type? GetFieldType(Type modelType, string jsonName) => SchemaNode.For(modelType).Field(jsonName)?.ClrType;

    /// <summary>The schema for a model type, to walk it by JSON names.</summary>
    public static SchemaNode GetSchema(Type modelType) => SchemaNode.For(modelType);

    private static void NormalizeObject(JsonObject obj, SchemaNode schema, string path, List<string> unknown)
    {
        List<string>? remove = null;
        // By index: no copy of the properties per object, and a replacement keeps the property's position.
        for (var i = 0; i < obj.Count; i++)
        {
            var (name, value) = obj.GetAt(i);
            var field = schema.Field(name);
            if (field is null)
            {
                unknown.Add(new FieldPath(path, name).ToString());
                (remove ??= []).Add(name);
                continue;
            }
            if (value is null)
            {
                (remove ??= []).Add(name);
                continue;
            }
            var replaced = NormalizeValue(value, field, new FieldPath(path, name), schema, unknown);
            if (replaced is not null) obj.SetAt(i, replaced);
        }
        if (remove is not null)
            foreach (var name in remove) obj.Remove(name);
    }

    /// <summary>
    /// Where a value sits ("spec.containers[0].image"), built only when needed (an error, an unknown field, or a nested
    /// object's own fields): most values are valid leaves, and a string per field was most of this walk's garbage.
    /// </summary>
    private readonly struct FieldPath
    {
        private readonly string _parent;
        private readonly string? _name;
        private readonly int _index;
        private readonly bool _alwaysDot;

        public FieldPath(string parent, string name, bool alwaysDot = false)
        {
            _parent = parent; _name = name; _index = -1; _alwaysDot = alwaysDot;
        }

        public FieldPath(string parent, int index)
        {
            _parent = parent; _name = null; _index = index; _alwaysDot = false;
        }

        public override string ToString() =>
            _name is null ? $"{_parent}[{_index}]"
            : _parent.Length == 0 && !_alwaysDot ? _name
            : _parent + "." + _name;
    }

    /// <summary>Returns a replacement node when the value must change shape (numeric quantity → string), else null.</summary>
    private static JsonNode? NormalizeValue(JsonNode value, SchemaNode schema, FieldPath at, SchemaNode owner, List<string> unknown)
    {
        var kind = value.GetValueKind();
        switch (schema.Kind)
        {
            case SchemaKind.Any:
                return null;
            case SchemaKind.Object:
                if (value is not JsonObject o) throw Mismatch(kind, value, at.ToString(), owner, schema);
                NormalizeObject(o, schema, at.ToString(), unknown);
                return null;
            case SchemaKind.Map:
                {
                    if (value is not JsonObject m) throw Mismatch(kind, value, at.ToString(), owner, schema);
                    var element = schema.Element!;
                    var path = at.ToString();
                    foreach (var (key, item) in m.ToArray())
                    {
                        // Go decodes a null map value into the element's zero value; for strings that is "".
                        if (item is null)
                        {
                            if (element.Kind == SchemaKind.String) m[key] = "";
                            continue;
                        }
                        var r = NormalizeValue(item, element, new FieldPath(path, key, alwaysDot: true), owner, unknown);
                        if (r is not null) m[key] = r;
                    }
                    return null;
                }
            case SchemaKind.List:
                {
                    if (value is not JsonArray a) throw Mismatch(kind, value, at.ToString(), owner, schema);
                    var element = schema.Element!;
                    var path = at.ToString();
                    for (var i = 0; i < a.Count; i++)
                    {
                        if (a[i] is not { } item)
                        {
                            if (element.Kind == SchemaKind.String) a[i] = "";
                            continue;
                        }
                        var r = NormalizeValue(item, element, new FieldPath(path, i), owner, unknown);
                        if (r is not null) a[i] = r;
                    }
                    return null;
                }
            case SchemaKind.String:
                if (kind != JsonValueKind.String) throw Mismatch(kind, value, at.ToString(), owner, schema);
                return null;
            case SchemaKind.Boolean:
                if (kind is not (JsonValueKind.True or JsonValueKind.False)) throw Mismatch(kind, value, at.ToString(), owner, schema);
                return null;
            case SchemaKind.Integer:
                {
                    if (kind != JsonValueKind.Number) throw Mismatch(kind, value, at.ToString(), owner, schema);
                    var fits = IntegerLiteral(value) is decimal d &&
                        (schema.GoTypeName == "int64" ? d is >= long.MinValue and <= long.MaxValue : d is >= int.MinValue and <= int.MaxValue);
                    if (!fits) throw Mismatch(kind, value, at.ToString(), owner, schema);
                    return null;
                }
            case SchemaKind.Number:
                if (kind != JsonValueKind.Number) throw Mismatch(kind, value, at.ToString(), owner, schema);
                return null;
            case SchemaKind.IntOrString:
                {
                    if (kind == JsonValueKind.String) return null;
                    if (kind == JsonValueKind.Number && IntegerLiteral(value) is decimal d && d is >= int.MinValue and <= int.MaxValue)
                        return null;
                    throw Mismatch(kind, value, at.ToString(), owner, schema);
                }
            case SchemaKind.Quantity:
                {
                    if (kind == JsonValueKind.Number)
                    {
                        var text = value.ToJsonString();
                        if (!Quantity.IsValid(text)) throw ApiError.BadRequest(Quantity.FormatError);
                        return JsonValue.Create(text);
                    }
                    if (kind != JsonValueKind.String) throw Mismatch(kind, value, at.ToString(), owner, schema);
                    if (!Quantity.IsValid(value.GetValue<string>())) throw ApiError.BadRequest(Quantity.FormatError);
                    return null;
                }
            case SchemaKind.DateTime:
                {
                    if (kind != JsonValueKind.String) throw Mismatch(kind, value, at.ToString(), owner, schema);
                    var s = value.GetValue<string>();
                    if (!Time.KubeTime.TryParse(s, out _))
                        throw ApiError.BadRequest($"parsing time \"{s}\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"{s}\" as an RFC 3339 time");
                    return null;
                }
            case SchemaKind.Bytes:
                {
                    if (kind != JsonValueKind.String) throw Mismatch(kind, value, at.ToString(), owner, schema);
                    var s = value.GetValue<string>();
                    if (Base64Error(s) is int bad) throw ApiError.BadRequest($"illegal base64 data at input byte {bad}");
                    return null;
                }
            default:
                return null;
        }
    }

    // Go parses integer fields with strconv.ParseInt on the literal, so "1.0" and "1e3" are not integers.
    private static decimal? IntegerLiteral(JsonNode value)
    {
        var text = value.ToJsonString();
        var digits = text.AsSpan(text.StartsWith('-') ? 1 : 0);
        if (digits.IsEmpty || digits.ContainsAnyExceptInRange('0', '9')) return null;
        return decimal.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var d) ? d : null;
    }

    private static ApiError Mismatch(JsonValueKind kind, JsonNode value, string path, SchemaNode owner, SchemaNode expected)
    {
        var what = kind switch
        {
            JsonValueKind.Object => "object",
            JsonValueKind.Array => "array",
            JsonValueKind.String => "string",
            JsonValueKind.Number => "number " + value.ToJsonString(),
            JsonValueKind.True or JsonValueKind.False => "bool",
            _ => "value",
        };
        var structName = SchemaNode.GoStructName(owner.ClrType);
        var dot = structName.LastIndexOf('.');
        if (dot >= 0) structName = structName[(dot + 1)..];
        // Go's UnmarshalTypeError names the innermost struct and the JSON key path without list indices.
        var goPath = System.Text.RegularExpressions.Regex.Replace(path, @"\[\d+\]", "");
        return new ApiError(400, "BadRequest", $"json: cannot unmarshal {what} into Go struct field {structName}.{goPath} of type {expected.GoTypeName}")
        {
            ConverterReason = ConverterWords(kind, expected),
        };
    }

    /// <summary>
    /// How apimachinery's unstructured converter (used for strategic merge patches) words the same mismatch. Its numbers
    /// come from a decoded patch, so they are float64; maps and slices are named by their Go kind.
    /// </summary>
    private static string ConverterWords(JsonValueKind kind, SchemaNode expected)
    {
        var (srcKind, srcType) = kind switch
        {
            JsonValueKind.Object => ("map", "map[string]interface {}"),
            JsonValueKind.Array => ("slice", "[]interface {}"),
            JsonValueKind.String => ("string", "string"),
            JsonValueKind.Number => ("float64", "float64"),
            JsonValueKind.True or JsonValueKind.False => ("bool", "bool"),
            _ => ("invalid", "invalid"),
        };
        return expected.Kind switch
        {
            SchemaKind.Map => $"cannot restore map from {srcKind}",
            SchemaKind.List or SchemaKind.Bytes => $"cannot restore slice from {srcKind}",
            SchemaKind.Object => $"cannot restore struct from: {srcKind}",
            _ => $"cannot convert {srcType} to {expected.GoTypeName}",
        };
    }

    /// <summary>Index of the first byte Go's base64.StdEncoding would reject, or null when the text decodes.</summary>
    private static int? Base64Error(string s)
    {
        var clean = s.Replace("\r", "").Replace("\n", "");
        for (var i = 0; i < clean.Length; i++)
        {
            var c = clean[i];
            var ok = c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '+' or '/' or '=';
            if (!ok) return i;
            if (c == '=' && i < clean.Length - 2) return i;
        }
        if (clean.Length % 4 != 0) return clean.Length / 4 * 4;
        var buffer = new byte[clean.Length];
        return Convert.TryFromBase64String(clean, buffer, out _) ? null : Math.Max(0, clean.Length - 4);
    }
}
