namespace EspacePro.Data;

/// <summary>A captcha issued for one form; deleted when it is checked, right or wrong.</summary>
public sealed class CaptchaChallenge
{
    public string Id { get; set; } = "";
    public string Purpose { get; set; } = "";
    public CaptchaKind Kind { get; set; }
    /// <summary>The characters to copy (text captchas only).</summary>
    public string Answer { get; set; } = "";
    /// <summary>
    /// Random bytes that never leave the server: the seed every render of a text captcha's
    /// image and sound is drawn from, or the HMAC key of a proof of work's challenge.
    /// </summary>
    public byte[] Secret { get; set; } = [];
    public DateTimeOffset ExpiresAt { get; set; }
}

/// <summary>How a captcha is answered.</summary>
public enum CaptchaKind
{
    /// <summary>Copy the characters of the image or of its sound.</summary>
    Text = 0,
    /// <summary>The browser finds a number whose hash the server chose (no reading, no listening).</summary>
    ProofOfWork = 1,
}
