namespace K8sHost.ApiMachinery.Protobuf;

/// <summary>What a field holds on the wire and how it turns into JSON.</summary>
public enum ProtoType
{
    String,
    Bytes,
    Int32,
    Int64,
    Bool,
    Double,
    /// <summary>A message from the tables (ProtoField.MessageName).</summary>
    Message,
    /// <summary>metav1.Time {1 seconds, 2 nanos}: RFC 3339 with whole seconds; the zero time is null (omitted).</summary>
    Time,
    /// <summary>metav1.MicroTime: like Time with microseconds.</summary>
    MicroTime,
    /// <summary>intstr.IntOrString {1 type, 2 intVal, 3 strVal}: a JSON number or string.</summary>
    IntOrString,
    /// <summary>resource.Quantity {1 string}: its canonical string.</summary>
    Quantity,
    /// <summary>runtime.RawExtension {1 raw}: embedded JSON (or a nested protobuf envelope).</summary>
    RawExtension,
    /// <summary>metav1.FieldsV1 {1 Raw}: the managed-fields trie as embedded JSON.</summary>
    FieldsV1,
    /// <summary>A message {1 repeated string items} that Go marshals as a bare JSON array (authn/authz ExtraValue).</summary>
    StringList,
}

public enum FieldShape
{
    Single,
    Repeated,
    /// <summary>map&lt;string, T&gt;: a JSON object; the value type is the field's Type/MessageName.</summary>
    Map,
}

/// <summary>
/// One field of a message table. <see cref="Inline"/> is a Go embedded struct (json ",inline"): its fields are merged
/// into the parent. <see cref="KeepZero"/> marks Go pointer or non-omitempty fields, whose zero value is meaningful
/// (gracePeriodSeconds: 0, automountServiceAccountToken: false); other zero scalars are omitted like Go's omitempty,
/// because the generated marshallers write every non-pointer field, even empty ones.
/// </summary>
public sealed record ProtoField(int Number, string JsonName, ProtoType Type, FieldShape Shape, string? MessageName, bool Inline, bool KeepZero);

/// <summary>A message: its qualified name ("core.Pod") and fields by number.</summary>
public sealed class ProtoMessage(string name, IReadOnlyDictionary<int, ProtoField> fields)
{
    public string Name { get; } = name;
    public IReadOnlyDictionary<int, ProtoField> Fields { get; } = fields;
}
