using System.ComponentModel.DataAnnotations;

namespace EspacePro.Web.Captcha;

/// <summary>Section "Captcha".</summary>
public sealed class CaptchaOptions
{
    public const string Section = "Captcha";

    /// <summary>false only for automated tests.</summary>
    public bool Enabled { get; set; } = true;

    public TimeSpan Lifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The secret number of a proof of work is at most this: the browser tries half of it on
    /// average. Set for about a second on a mid-range phone.
    /// </summary>
    [Range(1_000, 100_000_000)]
    public int ProofOfWorkMaxNumber { get; set; } = DefaultProofOfWorkMaxNumber;

    public const int DefaultProofOfWorkMaxNumber = 100_000;
}

/// <summary>The forms a captcha can be issued for; a captcha only opens the form it was made for.</summary>
public static class CaptchaPurpose
{
    public const string Login = "login";
    public const string Activation = "activation";
    public const string PasswordReset = "reset";
    public const string Creation = "creation";

    public static readonly IReadOnlySet<string> All = new HashSet<string>([Login, Activation, PasswordReset, Creation]);
}
