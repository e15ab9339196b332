using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace K8sHost.Server.Security;

/// <summary>
/// The serving certificate. With --tls-cert-file/--tls-private-key-file those files are used as they are. Otherwise a
/// CA and a serving certificate signed by it are generated on first start into &lt;data-dir&gt;/pki and reused after, so
/// kubeconfigs written earlier stay valid. ECDSA P-256 keeps generation to milliseconds (start-up budget is 1 s).
/// </summary>
public sealed class CertificateAuthority
{
    public required X509Certificate2 ServingCertificate { get; init; }
    /// <summary>PEM of the CA clients should trust (certificate-authority-data); null when the user supplied the cert.</summary>
    public string? CaPem { get; init; }

    public static CertificateAuthority LoadOrCreate(string dataDir, string? certFile, string? keyFile, string bindAddress)
    {
        if (!string.IsNullOrEmpty(certFile) && !string.IsNullOrEmpty(keyFile))
            return new CertificateAuthority { ServingCertificate = Load(certFile, keyFile), CaPem = null };

        var pki = Path.Combine(dataDir, "pki");
        Directory.CreateDirectory(pki);
        string caCrt = Path.Combine(pki, "ca.crt"), caKey = Path.Combine(pki, "ca.key");
        string srvCrt = Path.Combine(pki, "apiserver.crt"), srvKey = Path.Combine(pki, "apiserver.key");
        if (!File.Exists(caCrt) || !File.Exists(caKey))
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var req = new CertificateRequest("CN=k8shost-ca", key, HashAlgorithmName.SHA256);
            req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            req.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(req.PublicKey, false));
            using var ca = req.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(10));
            WriteAtomically(caKey, key.ExportPkcs8PrivateKeyPem());
            WriteAtomically(caCrt, ca.ExportCertificatePem());
            File.Delete(srvCrt); // a new CA invalidates any old serving certificate
        }
        if (!File.Exists(srvCrt) || !File.Exists(srvKey) || !CoversAddress(srvCrt, bindAddress))
        {
            using var caCert = Load(caCrt, caKey);
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var req = new CertificateRequest("CN=kube-apiserver", key, HashAlgorithmName.SHA256);
            req.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
            req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
            req.CertificateExtensions.Add(BuildSans(bindAddress));
            var serial = RandomNumberGenerator.GetBytes(16);
            serial[0] &= 0x7f;
            using var cert = req.Create(caCert, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(5), serial);
            WriteAtomically(srvKey, key.ExportPkcs8PrivateKeyPem());
            WriteAtomically(srvCrt, cert.ExportCertificatePem());
        }
        return new CertificateAuthority { ServingCertificate = Load(srvCrt, srvKey), CaPem = File.ReadAllText(caCrt) };
    }

    private static X509Extension BuildSans(string bindAddress)
    {
        var san = new SubjectAlternativeNameBuilder();
        foreach (var dns in new[] { "localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local" })
            san.AddDnsName(dns);
        foreach (var ip in new[] { "127.0.0.1", "::1", "10.96.0.1" }) san.AddIpAddress(IPAddress.Parse(ip));
        if (IPAddress.TryParse(bindAddress, out var bind) && !bind.Equals(IPAddress.Any) && !bind.Equals(IPAddress.IPv6Any)
            && bind.ToString() is not ("127.0.0.1" or "::1"))
            san.AddIpAddress(bind);
        return san.Build();
    }

    private static bool CoversAddress(string certPath, string bindAddress)
    {
        if (!IPAddress.TryParse(bindAddress, out var ip) || ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any)) return true;
        using var cert = X509Certificate2.CreateFromPem(File.ReadAllText(certPath));
        var ext = cert.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        return ext is not null && ext.EnumerateIPAddresses().Any(a => a.Equals(ip));
    }

    private static X509Certificate2 Load(string certFile, string keyFile)
    {
        using var pem = X509Certificate2.CreateFromPemFile(certFile, keyFile);
        // Re-import so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    private static void WriteAtomically(string path, string content)
    {
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, content);
        File.Move(tmp, path, overwrite: true);
        if (!OperatingSystem.IsWindows() && path.EndsWith(".key", StringComparison.Ordinal))
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
