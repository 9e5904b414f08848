using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EspacePro.BrowserTests.Infrastructure;

/// <summary>
/// A self-signed certificate for 127.0.0.1/localhost, made once per run: outside Development the
/// app sets <c>__Host-</c> Secure cookies and refuses anti-forgery over plain http, so it is
/// served over HTTPS exactly as in production. The browser context ignores the unknown issuer.
/// </summary>
public sealed class TestCertificate
{
    private static readonly Lazy<TestCertificate> Shared = new(() => Create(Artifacts.TempRoot));

    public required string PfxPath { get; init; }
    public required string Password { get; init; }
    public required string Thumbprint { get; init; }

    private static readonly Lazy<TestCertificate> SharedKeyProtection = new(() => CreateKeyProtection(Artifacts.TempRoot));

    public static TestCertificate Instance => Shared.Value;

    /// <summary>The RSA certificate that encrypts the app's data-protection keys at rest (required outside Development).</summary>
    public static TestCertificate KeyProtection => SharedKeyProtection.Value;

    private static TestCertificate CreateKeyProtection(string directory)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=EspacePro browser tests data-protection keys", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var path = Path.Combine(directory, "keys.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        return new TestCertificate { PfxPath = path, Password = password, Thumbprint = certificate.Thumbprint };
    }

    private static TestCertificate Create(string directory)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));

        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var path = Path.Combine(directory, "localhost.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        return new TestCertificate { PfxPath = path, Password = password, Thumbprint = certificate.Thumbprint };
    }
}
