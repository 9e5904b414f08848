namespace EspacePro.Data;

/// <summary>A captcha issued for one form; deleted when it is checked, right or wrong.</summary>
public sealed class CaptchaChallenge
{
    public string Id { get; set; } = "";
    public string Purpose { get; set; } = "";
    public string Answer { get; set; } = "";
    public DateTimeOffset ExpiresAt { get; set; }
}
