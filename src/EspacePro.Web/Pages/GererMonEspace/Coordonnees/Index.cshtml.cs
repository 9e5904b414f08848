using EspacePro.Data;
using EspacePro.Web.Accounts;
using EspacePro.Web.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EspacePro.Web.Pages.GererMonEspace.Coordonnees;

/// <summary>« Modifier mes coordonnées »: phone and postal address, shown on the recap.</summary>
public sealed class IndexModel(EspaceProDbContext db, Audit audit) : PageModel
{
    [BindProperty]
    public ContactInput Input { get; set; } = new();

    public Account Account { get; private set; } = default!;

    public async Task OnGetAsync()
    {
        Account = await db.LoadAsync(User);
        Input = ContactInput.From(Account);
    }

    public async Task<IActionResult> OnPostAsync()
    {
        Account = await db.LoadAsync(User);
        if (!ModelState.IsValid)
        {
            return Page();
        }
        Input.ApplyTo(Account);
        audit.Record("contact-details.changed", Account.Id);
        await db.SaveChangesAsync();
        TempData[nameof(GererMonEspace.IndexModel.StatusMessage)] = "Vos coordonnées ont été enregistrées. Elles figurent sur votre récapitulatif.";
        return Redirect("/gerer-mon-espace");
    }
}
