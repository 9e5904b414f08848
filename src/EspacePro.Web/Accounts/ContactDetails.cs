using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using EspacePro.Data;

namespace EspacePro.Web.Accounts;

/// <summary>Phone and postal address, as « Modifier mes coordonnées » and the creation form take them.</summary>
public sealed class ContactInput
{
    [Required(ErrorMessage = "Saisissez votre numéro de téléphone.")]
    [FrenchPhone]
    public string? Phone { get; set; }

    [Required(ErrorMessage = "Saisissez votre adresse (numéro et voie).")]
    [StringLength(200, ErrorMessage = "L'adresse ne doit pas dépasser 200 caractères.")]
    [PlainText]
    public string? AddressLine { get; set; }

    [Required(ErrorMessage = "Saisissez votre code postal.")]
    [RegularExpression(@"^\s*\d{5}\s*$", ErrorMessage = "Le code postal comporte 5 chiffres.")]
    public string? PostalCode { get; set; }

    [Required(ErrorMessage = "Saisissez votre commune.")]
    [StringLength(100, ErrorMessage = "La commune ne doit pas dépasser 100 caractères.")]
    [PlainText]
    public string? City { get; set; }

    public static ContactInput From(Account account) => new()
    {
        Phone = account.Phone,
        AddressLine = account.AddressLine,
        PostalCode = account.PostalCode,
        City = account.City,
    };

    public void ApplyTo(Account account)
    {
        account.Phone = FrenchPhoneAttribute.Normalize(Phone!);
        account.AddressLine = AddressLine!.Trim();
        account.PostalCode = PostalCode!.Trim();
        account.City = City!.Trim().ToUpper(Common.FrenchFormat.Culture);
        account.Country = "FRANCE";
    }
}

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

/// <summary>Text typed by a person: no control characters (CR/LF, tabs…) and no markup signs.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PlainTextAttribute() : ValidationAttribute("Ce champ contient des caractères non autorisés.")
{
    public override bool IsValid(object? value) =>
        value is not string text || !text.Any(c => char.IsControl(c) || c is '<' or '>');
}

/// <summary>A first or last name: letters (any alphabet), spaces, hyphens and apostrophes.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed partial class PersonNameAttribute() : ValidationAttribute("Ce champ ne peut contenir que des lettres, des espaces, des tirets et des apostrophes.")
{
    public override bool IsValid(object? value) => value is not string text || text.Length == 0 || Pattern().IsMatch(text.Trim());

    [GeneratedRegex(@"^\p{L}[\p{L}\p{M}' ’\-]*$")]
    private static partial Regex Pattern();
}
