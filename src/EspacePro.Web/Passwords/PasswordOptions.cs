using System.ComponentModel.DataAnnotations;

namespace EspacePro.Web.Passwords;

/// <summary>Section "Password" of the configuration contract (SPEC §6).</summary>
public sealed class PasswordOptions
{
    public const string Section = "Password";

    [Range(8, MaximumCodePoints, ErrorMessage = "Password:MinimumLength must be between {1} and {2}.")]
    public int MinimumLength { get; set; } = 20;

    /// <summary>
    /// Upper bound of a password, in Unicode code points after normalisation; not configurable.
    /// Every form that takes a password (new or current) checks it with
    /// <see cref="PasswordText.IsWithinMaximum"/> and says <see cref="PasswordMessages.TooLong"/>
    /// with this figure, so the limit and its message cannot disagree.
    /// </summary>
    public const int MaximumCodePoints = 128;

    public int MaximumLength => MaximumCodePoints;

    [Range(1, 120, ErrorMessage = "Password:ValidityMonths must be between 1 and 120.")]
    public int ValidityMonths { get; set; } = 36;
}
