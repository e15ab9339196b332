namespace K8sHost.Server.Options;

/// <summary>
/// Server settings. Command-line flags use kube-apiserver's names (--data-dir, --secure-port, …) and map onto this
/// section ("Server"), so appsettings.json ("Server": {"SecurePort": 6443}) and environment (Server__SecurePort) work too.
/// </summary>
public sealed class ServerOptions
{
    public const string Section = "Server";

    public string DataDir { get; set; } = "./data";
    public string BindAddress { get; set; } = "127.0.0.1";
    public int SecurePort { get; set; } = 6443;
    /// <summary>Where to write the admin kubeconfig; default &lt;data-dir&gt;/kubeconfig.</summary>
    public string? WriteKubeconfig { get; set; }
    /// <summary>kube-apiserver's static token file: token,user,uid,"group1,group2".</summary>
    public string? TokenAuthFile { get; set; }
    public string ServiceClusterIpRange { get; set; } = "10.96.0.0/16";
    public string ServiceNodePortRange { get; set; } = "30000-32767";
    public string? TlsCertFile { get; set; }
    public string? TlsPrivateKeyFile { get; set; }
    /// <summary>Store URL: sqlite://path (default, under the data dir), etcd://h1:2379,h2:2379, flaredb://pd:2379.</summary>
    public string? Storage { get; set; }
    /// <summary>kube-apiserver's --etcd-servers (comma-separated URLs), an alternative to --storage etcd://….</summary>
    public string? EtcdServers { get; set; }
    /// <summary>How long shutdown waits for in-flight requests after /readyz starts failing.</summary>
    public int ShutdownDelaySeconds { get; set; } = 0;
    /// <summary>kube-apiserver's --authorization-mode: comma-separated AlwaysAllow, AlwaysDeny, Node, RBAC (default RBAC).</summary>
    public string AuthorizationMode { get; set; } = "RBAC";
    /// <summary>kube-apiserver's --anonymous-auth: requests without credentials act as system:anonymous instead of getting 401.</summary>
    public bool AnonymousAuth { get; set; }

    public string KubeconfigPath => WriteKubeconfig ?? Path.Combine(DataDir, "kubeconfig");
}
