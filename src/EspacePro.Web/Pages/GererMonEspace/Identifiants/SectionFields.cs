using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace EspacePro.Web.Pages.GererMonEspace.Identifiants;

/// <summary>What the three sections share: a field filled in a section whose box is not ticked is refused, not ignored.</summary>
internal static class SectionFields
{
    public static void RefuseIfFilled(this ModelStateDictionary modelState, string key, string? value, string message)
    {
        if (!string.IsNullOrEmpty(value))
        {
            modelState.AddModelError(key, message);
        }
    }
}
