using System.ComponentModel.DataAnnotations;

namespace EspacePro.Web.Accounts;

/// <summary>Section "Security": how long a browser stays recognised after the space was opened in it.</summary>
public sealed class TrustedDeviceOptions
{
    public const string Section = "Security";

    /// <summary>Key <c>Security:TrustedDeviceLifetime</c>.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "400.00:00:00", ErrorMessage = "Security:TrustedDeviceLifetime must be between 1 and 400 days.")]
    public TimeSpan TrustedDeviceLifetime { get; set; } = TimeSpan.FromDays(180);
}
