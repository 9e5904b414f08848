using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace EspacePro.Web.Accounts;

/// <summary>A French number (0X XX XX XX XX) or an international one (+CC…); spaces, dots and dashes allowed.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed partial class FrenchPhoneAttribute() : ValidationAttribute("Saisissez un numéro de téléphone valide, par exemple 01 23 45 67 89 ou +33 1 23 45 67 89.")
{
    public override bool IsValid(object? value) =>
        value is not string text || text.Length == 0 || (text.Length <= 30 && Valid().IsMatch(Normalize(text)));

    public static string Normalize(string phone) => Separators().Replace(phone.Trim(), "");

    [GeneratedRegex(@"^(0[1-9]\d{8}|\+[1-9]\d{7,14})$")]
    private static partial Regex Valid();

    [GeneratedRegex(@"[\s.\-()]")]
    private static partial Regex Separators();
}
