namespace K8sHost.Api.Negotiation;

/// <summary>The shape of a response body, chosen from the Accept header.</summary>
public enum ResponseShape
{
    /// <summary>The object or list as stored (application/json).</summary>
    Object,
    /// <summary>The object or list as YAML (application/yaml).</summary>
    Yaml,
    /// <summary>meta.k8s.io Table (kubectl get).</summary>
    Table,
    /// <summary>meta.k8s.io PartialObjectMetadata / PartialObjectMetadataList (metadata-only clients).</summary>
    PartialObjectMetadata,
}

/// <summary>A negotiated response format: the shape plus the meta.k8s.io version for Table/metadata shapes.</summary>
public sealed record ResponseFormat(ResponseShape Shape, string MetaVersion = "v1")
{
    public static readonly ResponseFormat Json = new(ResponseShape.Object);
    public static readonly ResponseFormat YamlFormat = new(ResponseShape.Yaml);

    public const string JsonContentType = "application/json";
    public const string YamlContentType = "application/yaml";

    /// <summary>The response Content-Type; client-go picks its decoder from it, so the parameters matter.</summary>
    public string ContentType(bool list) => Shape switch
    {
        ResponseShape.Yaml => YamlContentType,
        ResponseShape.Table => $"application/json;as=Table;v={MetaVersion};g=meta.k8s.io",
        ResponseShape.PartialObjectMetadata =>
            $"application/json;as={(list ? "PartialObjectMetadataList" : "PartialObjectMetadata")};v={MetaVersion};g=meta.k8s.io",
        _ => JsonContentType,
    };

    /// <summary>"meta.k8s.io/v1" or "meta.k8s.io/v1beta1".</summary>
    public string MetaApiVersion => "meta.k8s.io/" + MetaVersion;
}
