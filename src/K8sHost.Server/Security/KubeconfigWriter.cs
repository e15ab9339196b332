using System.Text;

namespace K8sHost.Server.Security;

/// <summary>
/// Writes the admin kubeconfig: server URL, the CA as certificate-authority-data (TLS verified, no extra flags) and
/// the admin bearer token. Written atomically with mode 0600, since it holds a credential.
/// </summary>
public static class KubeconfigWriter
{
    public static void Write(string path, string serverUrl, string? caPem, string token, string user = "admin")
    {
        var cluster = caPem is null
            ? "    insecure-skip-tls-verify: true\n"
            : $"    certificate-authority-data: {Convert.ToBase64String(Encoding.UTF8.GetBytes(caPem))}\n";
        var yaml =
            "apiVersion: v1\n" +
            "kind: Config\n" +
            "clusters:\n" +
            "- name: k8shost\n" +
            "  cluster:\n" +
            $"    server: {serverUrl}\n" + cluster +
            "contexts:\n" +
            "- name: k8shost\n" +
            "  context:\n" +
            "    cluster: k8shost\n" +
            $"    user: {user}\n" +
            "    namespace: default\n" +
            "current-context: k8shost\n" +
            "users:\n" +
            $"- name: {user}\n" +
            "  user:\n" +
            $"    token: {token}\n";
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, yaml);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(tmp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>The URL clients should use: a wildcard bind address is reached through loopback.</summary>
    public static string ServerUrl(string bindAddress, int port)
    {
        var host = bindAddress is "0.0.0.0" or "" ? "127.0.0.1" : bindAddress is "::" ? "[::1]" : bindAddress.Contains(':') ? $"[{bindAddress}]" : bindAddress;
        return $"https://{host}:{port}";
    }
}
