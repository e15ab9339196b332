using System.ComponentModel.DataAnnotations;
using System.Net;

namespace K8sHost.Server.Options;

/// <summary>
/// The server's own settings, bound from the "Server" section like every option set (see <see cref="ServerSettings"/>).
/// Each settable property with a row in <see cref="ServerFlags"/> is a flag, an appsettings key ("Server": {"SecurePort": 6443})
/// and an environment variable (Server__SecurePort).
/// </summary>
public sealed class ServerOptions : IValidatableObject
{
    public const string Section = "Server";

    public string DataDir { get; set; } = "./data";
    public string BindAddress { get; set; } = "127.0.0.1";
    /// <summary>0 lets the OS pick a free port (K8sHost.Testing starts many servers at once this way).</summary>
    [Range(0, 65535)]
    public int SecurePort { get; set; } = 6443;
    /// <summary>Where to write the admin kubeconfig; default &lt;data-dir&gt;/kubeconfig.</summary>
    public string? WriteKubeconfig { get; set; }
    /// <summary>kube-apiserver's static token file: token,user,uid,"group1,group2".</summary>
    public string? TokenAuthFile { get; set; }
    public string? TlsCertFile { get; set; }
    public string? TlsPrivateKeyFile { get; set; }
    /// <summary>Store URL: sqlite://path (default, under the data dir), etcd://h1:2379,h2:2379, flaredb://pd:2379.</summary>
    public string? Storage { get; set; }
    /// <summary>kube-apiserver's --etcd-servers (comma-separated URLs), an alternative to --storage etcd://….</summary>
    public string? EtcdServers { get; set; }
    /// <summary>FlareDB PD address(es) when neither Storage nor EtcdServers is set; FLAREDB_PD_ADDR feeds this key.</summary>
    public string? FlareDbPdAddress { get; set; }
    /// <summary>How long shutdown waits for in-flight requests after /readyz starts failing.</summary>
    [Range(0, int.MaxValue)]
    public int ShutdownDelaySeconds { get; set; } = 0;
    /// <summary>kube-apiserver's -v: 2 and up log one line per request.</summary>
    [Range(0, int.MaxValue)]
    public int Verbosity { get; set; } = 0;
    /// <summary>kube-apiserver's --logging-format: text or json.</summary>
    public string LoggingFormat { get; set; } = "text";
    /// <summary>kube-apiserver's --request-timeout: the deadline of every request that is not long-running.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);
    /// <summary>Adds a tenant ("org/project") label to request and object-count metrics; off to keep cardinality bounded.</summary>
    public bool MetricsTenantLabels { get; set; }
    /// <summary>kube-apiserver's --authorization-mode: comma-separated AlwaysAllow, AlwaysDeny, Node, RBAC (default RBAC).</summary>
    public string AuthorizationMode { get; set; } = "RBAC";
    /// <summary>kube-apiserver's --anonymous-auth: requests without credentials act as system:anonymous instead of getting 401.</summary>
    public bool AnonymousAuth { get; set; }

    public string KubeconfigPath => WriteKubeconfig ?? Path.Combine(DataDir, "kubeconfig");

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (BindAddress is not ("" or "0.0.0.0") && !IPAddress.TryParse(BindAddress, out _))
            yield return new ValidationResult($"\"{BindAddress}\" is not an IP address", [nameof(BindAddress)]);
        if (LoggingFormat is not ("text" or "json"))
            yield return new ValidationResult($"\"{LoggingFormat}\" is not a logging format (text or json)", [nameof(LoggingFormat)]);
        if (RequestTimeout < TimeSpan.Zero)
            yield return new ValidationResult("--request-timeout must not be negative", [nameof(RequestTimeout)]);
        if (string.IsNullOrWhiteSpace(TlsCertFile) != string.IsNullOrWhiteSpace(TlsPrivateKeyFile))
            yield return new ValidationResult("--tls-cert-file and --tls-private-key-file go together", [nameof(TlsCertFile)]);
    }
}
