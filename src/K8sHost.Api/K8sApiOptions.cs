using System.ComponentModel.DataAnnotations;

namespace K8sHost.Api;

/// <summary>Settings of the HTTP surface; the server binds them from the "Api" configuration section and validates at start.</summary>
public sealed class K8sApiOptions
{
    public const string Section = "Api";

    /// <summary>Largest accepted request body; kube-apiserver's limit is 3 MiB.</summary>
    [Range(1, long.MaxValue)]
    public long MaxRequestBodyBytes { get; set; } = Bodies.RequestBodyReader.DefaultMaxBytes;
}
