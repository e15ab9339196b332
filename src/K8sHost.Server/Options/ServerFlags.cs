namespace K8sHost.Server.Options;

/// <summary>Maps kube-apiserver-style flags onto the "Server" configuration section.</summary>
public static class ServerFlags
{
    public static readonly IDictionary<string, string> SwitchMappings = new Dictionary<string, string>
    {
        ["--data-dir"] = "Server:DataDir",
        ["--bind-address"] = "Server:BindAddress",
        ["--secure-port"] = "Server:SecurePort",
        ["--write-kubeconfig"] = "Server:WriteKubeconfig",
        ["--token-auth-file"] = "Server:TokenAuthFile",
        ["--service-cluster-ip-range"] = "Server:ServiceClusterIpRange",
        ["--service-node-port-range"] = "Server:ServiceNodePortRange",
        ["--tls-cert-file"] = "Server:TlsCertFile",
        ["--tls-private-key-file"] = "Server:TlsPrivateKeyFile",
        ["--storage"] = "Server:Storage",
        ["--etcd-servers"] = "Server:EtcdServers",
        ["--shutdown-delay-seconds"] = "Server:ShutdownDelaySeconds",
        ["--authorization-mode"] = "Server:AuthorizationMode",
        ["--anonymous-auth"] = "Server:AnonymousAuth",
    };
}
