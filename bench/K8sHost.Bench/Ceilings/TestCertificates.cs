using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace K8sHost.Bench.Ceilings;

/// <summary>
/// A CA and a serving certificate with the same shape as the server's generated pair (ECDSA P-256, SHA-256, signed by
/// a CA the client trusts through a custom root), so the bare-Kestrel ceilings pay the same TLS costs.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    public required X509Certificate2 Ca { get; init; }
    public required X509Certificate2 Serving { get; init; }

    public static TestCertificates Create()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caReq = new CertificateRequest("CN=bench-ca", caKey, HashAlgorithmName.SHA256);
        caReq.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caReq.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caReq.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caReq.PublicKey, false));
        // One clock reading for both certificates: a leaf may not outlive its issuer, and two readings can straddle
        // a second boundary (certificates keep whole seconds), which made the leaf's notAfter one second too late.
        var now = DateTimeOffset.UtcNow;
        var ca = caReq.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest("CN=bench-kestrel", key, HashAlgorithmName.SHA256);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        req.CertificateExtensions.Add(san.Build());
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var signed = req.Create(ca, now.AddMinutes(-5), ca.NotAfter, serial);
        using var withKey = signed.CopyWithPrivateKey(key);
        // Round-trip through PKCS#12 as the server does, so SslStream can use the key on Linux.
        var serving = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        return new TestCertificates { Ca = X509CertificateLoader.LoadCertificate(ca.Export(X509ContentType.Cert)), Serving = serving };
    }

    public void Dispose()
    {
        Ca.Dispose();
        Serving.Dispose();
    }
}
