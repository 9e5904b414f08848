using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EspacePro.Web.Pages.GererMonEspace.Identifiants;

/// <summary>The « Enregistrement » step: one paragraph per saved change, shown once (PRG).</summary>
public sealed class EnregistrementModel : PageModel
{
    public const string TempDataKey = "IdentifiersSaved";

    public SavedChanges Saved { get; private set; } = default!;

    public IActionResult OnGet()
    {
        if (TempData[TempDataKey] is not string json || JsonSerializer.Deserialize<SavedChanges>(json) is not { } saved)
        {
            return RedirectToPage("Index");
        }
        Saved = saved;
        return Page();
    }
}
