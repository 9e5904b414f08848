using System.ComponentModel.DataAnnotations;

namespace EspacePro.Web.Accounts;

/// <summary>Text typed by a person: no control characters (CR/LF, tabs…) and no markup signs.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PlainTextAttribute() : ValidationAttribute("Ce champ contient des caractères non autorisés.")
{
    public override bool IsValid(object? value) =>
        value is not string text || !text.Any(c => char.IsControl(c) || c is '<' or '>');
}
