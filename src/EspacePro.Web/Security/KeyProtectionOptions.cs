namespace EspacePro.Web.Security;

/// <summary>Section "DataProtection": the certificate that encrypts the data-protection keys at rest.</summary>
public sealed class KeyProtectionOptions
{
    public const string Section = "DataProtection";

    /// <summary>PKCS#12 (.pfx) file with an RSA key; relative paths start at the content root.</summary>
    public string? CertificatePath { get; set; }

    public string? CertificatePassword { get; set; }

    /// <summary>Certificates that encrypted older keys: they still decrypt them, never encrypt new ones.</summary>
    public List<CertificateFile> UnprotectWithCertificates { get; set; } = [];
}
