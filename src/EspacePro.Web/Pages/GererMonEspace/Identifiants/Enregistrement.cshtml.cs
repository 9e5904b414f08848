using System.Text.Json;
using EspacePro.Data;
using EspacePro.Web.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EspacePro.Web.Pages.GererMonEspace.Identifiants;

/// <summary>The « Enregistrement » step: one paragraph per saved change, shown once (PRG).</summary>
public sealed class EnregistrementModel(EspaceProDbContext db) : PageModel
{
    public const string TempDataKey = "IdentifiersSaved";

    public SavedChanges Saved { get; private set; } = default!;

    /// <summary>For the sheet's header above the message: the name and « N° d'abonné ».</summary>
    public Account Account { get; private set; } = default!;

    public async Task<IActionResult> OnGetAsync()
    {
        if (TempData[TempDataKey] is not string json || JsonSerializer.Deserialize<SavedChanges>(json) is not { } saved)
        {
            return RedirectToPage("Index");
        }
        Saved = saved;
        Account = await db.LoadAsync(User);
        return Page();
    }
}
