using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EspacePro.Tests.Infrastructure;

/// <summary>
/// RSA certificates that encrypt the data-protection keys in the tests, made once per run in a
/// temporary folder (no private key is ever committed).
/// </summary>
public static class KeyCertificates
{
    private static readonly Lazy<CertificateFile> FirstFile = new(() => Create("first"));
    private static readonly Lazy<CertificateFile> SecondFile = new(() => Create("second"));

    public static CertificateFile First => FirstFile.Value;
    public static CertificateFile Second => SecondFile.Value;

    public sealed record CertificateFile(string Path, string Password);

    private static CertificateFile Create(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN=EspacePro test data-protection keys ({name})", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var directory = Directory.CreateTempSubdirectory("espacepro-keys-").FullName;
        var path = System.IO.Path.Combine(directory, name + ".pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(directory, recursive: true);
        return new CertificateFile(path, password);
    }
}
