using System.ComponentModel.DataAnnotations;
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
