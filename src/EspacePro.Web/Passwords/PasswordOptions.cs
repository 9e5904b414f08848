using System.ComponentModel.DataAnnotations;

namespace EspacePro.Web.Passwords;

/// <summary>Section "Password" of the configuration contract (SPEC §6).</summary>
public sealed class PasswordOptions
{
    public const string Section = "Password";

    [Range(8, 128, ErrorMessage = "Password:MinimumLength must be between 8 and 128.")]
    public int MinimumLength { get; set; } = 20;

    /// <summary>Upper bound, in Unicode code points; not configurable (SECURITY.md §4).</summary>
    public int MaximumLength => 128;

    [Range(1, 120, ErrorMessage = "Password:ValidityMonths must be between 1 and 120.")]
    public int ValidityMonths { get; set; } = 36;
}
