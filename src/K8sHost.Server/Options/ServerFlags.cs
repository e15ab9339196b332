using K8sHost.Resources.Services;

namespace K8sHost.Server.Options;

/// <summary>
/// The one table of command-line flags. It drives parsing (<see cref="CommandLine"/>), --help (<see cref="FlagHelp"/>),
/// the appsettings key ("Server:SecurePort") and the environment variable (Server__SecurePort) of each flag.
/// Adding a flag: a property on an option set bound from the "Server" section, and one line here.
/// Names, groups and meanings follow kube-apiserver where it has the flag.
/// </summary>
public static class ServerFlags
{
    public static readonly IReadOnlyList<Flag> All =
    [
        Flag.Of<ServerOptions>("--data-dir", nameof(ServerOptions.DataDir), FlagGroup.Generic,
            "Directory for the embedded store, the generated CA and serving certificate (pki/), admin.token and kubeconfig."),
        Flag.Of<ServerOptions>("--write-kubeconfig", nameof(ServerOptions.WriteKubeconfig), FlagGroup.Generic,
            "Where the admin kubeconfig is written (server URL, CA data, admin token); <data-dir>/kubeconfig when empty."),
        Flag.Of<ServerOptions>("--shutdown-delay-seconds", nameof(ServerOptions.ShutdownDelaySeconds), FlagGroup.Generic,
            "After SIGTERM, how long /readyz fails before the server stops accepting requests."),
        Flag.Of<ServerOptions>("--request-timeout", nameof(ServerOptions.RequestTimeout), FlagGroup.Generic,
            "Deadline of every request that is not long-running (watches, logs); store calls share what is left of it. 0 turns it off."),

        Flag.Of<ServerOptions>("--storage", nameof(ServerOptions.Storage), FlagGroup.Etcd,
            "Store URL: sqlite://[PATH] (embedded, under --data-dir when no path), etcd://h1:2379,h2:2379 or flaredb://PD_HOST:2379."),
        Flag.Of<ServerOptions>("--etcd-servers", nameof(ServerOptions.EtcdServers), FlagGroup.Etcd,
            "Comma-separated etcd URLs (http://h1:2379,…); the same as --storage etcd://…."),

        Flag.Of<ServerOptions>("--bind-address", nameof(ServerOptions.BindAddress), FlagGroup.SecureServing,
            "IP address to serve HTTPS on (0.0.0.0 for all interfaces)."),
        Flag.Of<ServerOptions>("--secure-port", nameof(ServerOptions.SecurePort), FlagGroup.SecureServing,
            "Port to serve HTTPS on (HTTP/1.1 and HTTP/2)."),
        Flag.Of<ServerOptions>("--tls-cert-file", nameof(ServerOptions.TlsCertFile), FlagGroup.SecureServing,
            "PEM serving certificate; a CA and certificate are generated under <data-dir>/pki when empty."),
        Flag.Of<ServerOptions>("--tls-private-key-file", nameof(ServerOptions.TlsPrivateKeyFile), FlagGroup.SecureServing,
            "PEM private key matching --tls-cert-file."),

        Flag.Of<ServerOptions>("--token-auth-file", nameof(ServerOptions.TokenAuthFile), FlagGroup.Authentication,
            "Static token CSV: token,user,uid,\"group1,group2\"."),

        Flag.Of<ServerOptions>("--anonymous-auth", nameof(ServerOptions.AnonymousAuth), FlagGroup.Authentication,
            "Requests without credentials act as system:anonymous (group system:unauthenticated) instead of getting 401."),

        Flag.Of<ServerOptions>("--authorization-mode", nameof(ServerOptions.AuthorizationMode), FlagGroup.Authorization,
            "Comma-separated authorizers, asked in order: RBAC, AlwaysAllow (development), AlwaysDeny, Node."),

        Flag.Of<ServiceNetworkOptions>("--service-cluster-ip-range", nameof(ServiceNetworkOptions.ServiceClusterIpRange), FlagGroup.Misc,
            "CIDR range for service cluster IPs; its first address is the kubernetes service's."),
        Flag.Of<ServiceNetworkOptions>("--service-node-port-range", nameof(ServiceNetworkOptions.ServiceNodePortRange), FlagGroup.Misc,
            "Inclusive port range for NodePort and LoadBalancer services."),

        Flag.Of<ServerOptions>("--metrics-tenant-labels", nameof(ServerOptions.MetricsTenantLabels), FlagGroup.Metrics,
            "Adds a tenant (org/project) label to request and object-count metrics; off to keep cardinality bounded."),

        Flag.Of<ServerOptions>("--logging-format", nameof(ServerOptions.LoggingFormat), FlagGroup.Logs,
            "Log format: text (one line per entry) or json (one JSON object per line)."),
        Flag.Of<ServerOptions>("--v", nameof(ServerOptions.Verbosity), FlagGroup.Logs,
            "Log verbosity; 2 or more logs one line per request (verb, URI, status, latency, user).", shorthand: "-v"),

        Flag.Command("--help", FlagGroup.Global, "Print this help and exit.", shorthand: "-h"),
        Flag.Command("--version", FlagGroup.Global, "Print the version and exit."),

        // ASP.NET Core's own host settings (WebApplicationFactory passes them too); fixed before configuration loads.
        Flag.Host("--environment", "environment", "Hosting environment; also loads appsettings.<environment>.json.", "Production"),
        Flag.Host("--contentRoot", "contentRoot", "Directory appsettings.json is read from.", "the server's directory"),
        Flag.Host("--applicationName", "applicationName", "Application name the host reports.", "K8sHost.Server"),
    ];
}
