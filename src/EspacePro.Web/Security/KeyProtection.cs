using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;

namespace EspacePro.Web.Security;

/// <summary>A PKCS#12 file and its password.</summary>
public sealed record CertificateFile
{
    public string? Path { get; init; }
    public string? Password { get; init; }
}

/// <summary>
/// The data-protection keys sign and encrypt the login cookie, the wizard's state and the
/// anti-forgery tokens. They live in the database, so that every node shares them; whoever
/// reads them there or in a backup could forge any of those cookies. So each key is encrypted
/// with a certificate that the operator keeps outside the database, and a node that lacks it
/// can read no cookie. Outside Development the application does not start without it;
/// Development keeps its keys in clear (the framework logs a warning) so that a fresh checkout
/// runs with no set-up.
/// </summary>
public static class KeyProtection
{
    public static IDataProtectionBuilder ProtectKeysWithConfiguredCertificate(this IDataProtectionBuilder dataProtection,
        IConfiguration configuration, IHostEnvironment environment)
    {
        var options = configuration.GetSection(KeyProtectionOptions.Section).Get<KeyProtectionOptions>() ?? new();
        if (string.IsNullOrWhiteSpace(options.CertificatePath))
        {
            return environment.IsDevelopment()
                ? dataProtection
                : throw new InvalidOperationException(
                    "DataProtection:CertificatePath is required outside Development: the data-protection keys stored in the database " +
                    "are encrypted with this certificate (a PKCS#12 file with an RSA key; see docs/operations.md).");
        }

        var current = Load(environment, new CertificateFile { Path = options.CertificatePath, Password = options.CertificatePassword },
            "DataProtection:CertificatePath", "DataProtection:CertificatePassword");
        dataProtection.ProtectKeysWithCertificate(current);
        var previous = options.UnprotectWithCertificates
            .Select((file, i) => Load(environment, file,
                $"DataProtection:UnprotectWithCertificates:{i}:Path", $"DataProtection:UnprotectWithCertificates:{i}:Password"))
            .ToArray();
        if (previous.Length > 0)
        {
            dataProtection.UnprotectKeysWithAnyCertificate(previous);
        }
        return dataProtection;
    }

    private static X509Certificate2 Load(IHostEnvironment environment, CertificateFile file, string pathKey, string passwordKey)
    {
        if (string.IsNullOrWhiteSpace(file.Path))
        {
            throw new InvalidOperationException($"{pathKey} is required.");
        }
        var path = Path.GetFullPath(Path.Combine(environment.ContentRootPath, file.Path));
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{pathKey}: no file at '{path}'.");
        }
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, file.Password, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (CryptographicException e)
        {
            throw new InvalidOperationException($"{pathKey}: '{path}' cannot be read as PKCS#12 with the password given in {passwordKey} ({e.Message}).", e);
        }
        if (!certificate.HasPrivateKey || certificate.GetRSAPublicKey() is null)
        {
            throw new InvalidOperationException($"{pathKey}: '{path}' must hold an RSA certificate with its private key (keys are encrypted for it and decrypted with it).");
        }
        return certificate;
    }
}
