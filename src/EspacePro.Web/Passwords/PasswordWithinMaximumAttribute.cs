using System.ComponentModel.DataAnnotations;

namespace EspacePro.Web.Passwords;

/// <summary>
/// A typed password (new or current) longer than the rules allow, with the rules' own message:
/// the limit and the figure in the message come from <see cref="PasswordOptions.MaximumCodePoints"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PasswordWithinMaximumAttribute() : ValidationAttribute(PasswordMessages.TooLong(PasswordOptions.MaximumCodePoints))
{
    public override bool IsValid(object? value) =>
        value is not string text || text.Length == 0 || PasswordText.IsWithinMaximum(text);
}
