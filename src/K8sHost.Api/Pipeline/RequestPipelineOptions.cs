namespace K8sHost.Api.Pipeline;

/// <summary>How the pipeline authenticates and authorizes (set from --anonymous-auth and --authorization-mode).</summary>
public sealed class RequestPipelineOptions
{
    /// <summary>Requests without credentials act as system:anonymous; otherwise they get 401, except <see cref="OpenPaths"/>.</summary>
    public bool AnonymousAuth { get; set; }

    /// <summary>
    /// Paths served to requests without credentials even when anonymous requests are off: health and version, as
    /// hardened distributions keep them reachable for probes. They still pass authorization as system:anonymous.
    /// </summary>
    public static readonly IReadOnlySet<string> OpenPaths = new HashSet<string>(StringComparer.Ordinal)
    {
        "/healthz", "/livez", "/readyz", "/version",
    };
}
