using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace EspacePro.Web.Accounts;

/// <summary>
/// A login e-mail as the service accepts it: one address, no display name, no spaces or control
/// characters (so no CR/LF header injection), a dotted domain, at most 100 characters.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed partial class LoginEmailAttribute : ValidationAttribute
{
    public const int MaximumLength = 100;

    public LoginEmailAttribute() : base("Saisissez une adresse électronique valide, au format adresse@domaine.fr.") { }

    // Over-long values are reported by [StringLength] alone: one message per problem.
    public override bool IsValid(object? value) =>
        value is not string text || text.Length == 0 || text.Length > MaximumLength || IsValidAddress(text);

    public static bool IsValidAddress(string text) =>
        text.Length <= MaximumLength && Pattern().IsMatch(text) && !text.Contains("..", StringComparison.Ordinal);

    // Local part of common characters (not starting or ending with a dot), then a domain of
    // labels made of letters, digits and hyphens, with a top-level label of 2 letters or more.
    [GeneratedRegex(@"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$")]
    private static partial Regex Pattern();
}
