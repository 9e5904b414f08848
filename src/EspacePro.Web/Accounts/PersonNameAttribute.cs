using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace EspacePro.Web.Accounts;

/// <summary>A first or last name: letters (any alphabet), spaces, hyphens and apostrophes.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed partial class PersonNameAttribute() : ValidationAttribute("Ce champ ne peut contenir que des lettres, des espaces, des tirets et des apostrophes.")
{
    public override bool IsValid(object? value) => value is not string text || text.Length == 0 || Pattern().IsMatch(text.Trim());

    [GeneratedRegex(@"^\p{L}[\p{L}\p{M}' ’\-]*$")]
    private static partial Regex Pattern();
}
