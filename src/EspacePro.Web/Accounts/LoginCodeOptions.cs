using System.ComponentModel.DataAnnotations;

namespace EspacePro.Web.Accounts;

/// <summary>Section "Security": the « code de sécurité » asked of a browser the space does not recognise.</summary>
public sealed class LoginCodeOptions
{
    public const string Section = "Security";

    /// <summary>Key <c>Security:LoginCodeLifetime</c>: how long one code may be typed.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "00:15:00", ErrorMessage = "Security:LoginCodeLifetime must be between 1 and 15 minutes.")]
    public TimeSpan LoginCodeLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Keys under <c>Security:LoginCode</c>.</summary>
    public LoginCodeSwitch LoginCode { get; set; } = new();

    public sealed class LoginCodeSwitch
    {
        /// <summary>
        /// Key <c>Security:LoginCode:Enabled</c>. Off only where no person reads the mail: the
        /// automated tests that do not walk the code step, and the benchmark's password step.
        /// </summary>
        public bool Enabled { get; set; } = true;
    }
}
