namespace K8sHost.Api;

/// <summary>Settings of the HTTP surface (configuration section "Api").</summary>
public sealed class K8sApiOptions
{
    public const string Section = "Api";

    /// <summary>Largest accepted request body; kube-apiserver's limit is 3 MiB.</summary>
    public long MaxRequestBodyBytes { get; set; } = Bodies.RequestBodyReader.DefaultMaxBytes;
}
