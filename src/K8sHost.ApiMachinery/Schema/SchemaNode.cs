using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace K8sHost.ApiMachinery.Schema;

/// <summary>
/// The schema of one CLR model type, reflected once and cached. Object fields are resolved lazily because
/// model types are recursive (JSONSchemaProps contains JSONSchemaProps).
/// </summary>
public sealed class SchemaNode
{
    private static readonly ConcurrentDictionary<Type, SchemaNode> Cache = new();
    private readonly Lazy<IReadOnlyDictionary<string, SchemaNode>> _fields;
    private readonly Lazy<SchemaNode?> _element;

    private SchemaNode(Type clrType, SchemaKind kind, Type? elementType)
    {
        ClrType = clrType;
        Kind = kind;
        _fields = new Lazy<IReadOnlyDictionary<string, SchemaNode>>(ReflectFields, LazyThreadSafetyMode.PublicationOnly);
        _element = new Lazy<SchemaNode?>(() => elementType is null ? null : For(elementType), LazyThreadSafetyMode.PublicationOnly);
    }

    /// <summary>The model type (nullable wrappers removed).</summary>
    public Type ClrType { get; }

    public SchemaKind Kind { get; }

    /// <summary>For Map and List: the schema of each value/item. Null otherwise.</summary>
    public SchemaNode? Element => _element.Value;

    /// <summary>For Object: fields by JSON name. Empty otherwise.</summary>
    public IReadOnlyDictionary<string, SchemaNode> Fields => _fields.Value;

    /// <summary>The field's schema by JSON name, or null if the object has no such field.</summary>
    public SchemaNode? Field(string jsonName) =>
        Kind == SchemaKind.Object && Fields.TryGetValue(jsonName, out var f) ? f : null;

    /// <summary>The cached schema for a CLR type.</summary>
    public static SchemaNode For(Type type) => Cache.GetOrAdd(type, Build);

    /// <summary>How Go names the type in decode errors ("[]v1.Container", "int32", "map[string]string").</summary>
    public string GoTypeName => Kind switch
    {
        SchemaKind.String => "string",
        SchemaKind.Boolean => "bool",
        SchemaKind.Integer => ClrType == typeof(long) || ClrType == typeof(ulong) ? "int64" : "int32",
        SchemaKind.Number => "float64",
        SchemaKind.IntOrString => "intstr.IntOrString",
        SchemaKind.Quantity => "resource.Quantity",
        SchemaKind.DateTime => "v1.Time",
        SchemaKind.Bytes => "[]uint8",
        SchemaKind.Any => "interface {}",
        SchemaKind.List => "[]" + (Element?.GoTypeName ?? "interface {}"),
        SchemaKind.Map => "map[string]" + (Element?.GoTypeName ?? "interface {}"),
        _ => GoStructName(ClrType),
    };

    internal static string GoStructName(Type t)
    {
        // k8s.Models names are "V1Container", "V1beta1Foo", "Corev1EventSeries": version prefix + Go name.
        var n = t.Name;
        var m = System.Text.RegularExpressions.Regex.Match(n, "^(?:[A-Z][a-z]+)?(V\\d+(?:alpha\\d+|beta\\d+)?)([A-Z].*)$");
        return m.Success ? m.Groups[1].Value.ToLowerInvariant() + "." + m.Groups[2].Value : n;
    }

    private static SchemaNode Build(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t == typeof(string) || t.IsEnum || t == typeof(Guid)) return new(t, SchemaKind.String, null);
        if (t == typeof(bool)) return new(t, SchemaKind.Boolean, null);
        if (t == typeof(int) || t == typeof(long) || t == typeof(short) || t == typeof(uint) || t == typeof(ulong) || t == typeof(byte))
            return new(t, SchemaKind.Integer, null);
        if (t == typeof(double) || t == typeof(float) || t == typeof(decimal)) return new(t, SchemaKind.Number, null);
        if (t == typeof(DateTime) || t == typeof(DateTimeOffset)) return new(t, SchemaKind.DateTime, null);
        if (t == typeof(byte[])) return new(t, SchemaKind.Bytes, null);
        if (t == typeof(object) || t == typeof(JsonElement) || typeof(JsonNode).IsAssignableFrom(t) || t == typeof(JsonDocument))
            return new(t, SchemaKind.Any, null);
        if (t.Name == "IntOrString" || t.Name == "IntstrIntOrString") return new(t, SchemaKind.IntOrString, null);
        if (t.Name == "ResourceQuantity") return new(t, SchemaKind.Quantity, null);

        if (t.IsArray) return new(t, SchemaKind.List, t.GetElementType());
        var dict = FindGeneric(t, typeof(IDictionary<,>)) ?? FindGeneric(t, typeof(IReadOnlyDictionary<,>));
        if (dict is not null) return new(t, SchemaKind.Map, dict.GetGenericArguments()[1]);
        var seq = FindGeneric(t, typeof(IEnumerable<>));
        if (seq is not null) return new(t, SchemaKind.List, seq.GetGenericArguments()[0]);
        return new(t, SchemaKind.Object, null);
    }

    private static Type? FindGeneric(Type t, Type open)
    {
        if (t.IsGenericType && t.GetGenericTypeDefinition() == open) return t;
        return t.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == open);
    }

    private IReadOnlyDictionary<string, SchemaNode> ReflectFields()
    {
        if (Kind != SchemaKind.Object) return new Dictionary<string, SchemaNode>();
        var result = new Dictionary<string, SchemaNode>(StringComparer.Ordinal);
        foreach (var p in ClrType.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (p.GetIndexParameters().Length > 0 || p.GetCustomAttribute<JsonIgnoreAttribute>() is { Condition: JsonIgnoreCondition.Always })
                continue;
            var name = p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name;
            if (name is null) continue; // only [JsonPropertyName] properties are part of the wire format
            result[name] = For(p.PropertyType);
        }
        return result;
    }
}
