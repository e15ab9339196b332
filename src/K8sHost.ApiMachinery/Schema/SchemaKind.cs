namespace K8sHost.ApiMachinery.Schema;

/// <summary>The JSON shape a CLR model type stands for, as apimachinery's decoder would accept it.</summary>
public enum SchemaKind
{
    /// <summary>A struct with named fields (k8s.Models.V1Pod, V1Container, …).</summary>
    Object,
    /// <summary>IDictionary&lt;string,T&gt;: any keys, values of the element schema.</summary>
    Map,
    /// <summary>IList&lt;T&gt;/IEnumerable&lt;T&gt;/arrays other than byte[].</summary>
    List,
    String,
    Integer,
    Number,
    Boolean,
    /// <summary>intstr.IntOrString: a string or an integer.</summary>
    IntOrString,
    /// <summary>resource.Quantity: a string (or a number) matching the quantity grammar.</summary>
    Quantity,
    /// <summary>metav1.Time / MicroTime: an RFC 3339 string.</summary>
    DateTime,
    /// <summary>[]byte: a base64 string.</summary>
    Bytes,
    /// <summary>object, JsonElement, JsonNode, RawExtension-like: anything goes, no pruning below.</summary>
    Any,
}
