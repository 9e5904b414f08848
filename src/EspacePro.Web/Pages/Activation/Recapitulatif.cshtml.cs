using EspacePro.Data;
using EspacePro.Web.Recap;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EspacePro.Web.Pages.Activation;

/// <summary>
/// Step 3 « Récapitulatif »: only the browser that activated sees it, and may download the
/// recap PDF for a short while (the wizard cookie's lifetime).
/// </summary>
[AllowAnonymous]
public sealed class RecapitulatifModel(EspaceProDbContext db, ActivationWizard wizard, RecapDownloads downloads) : PageModel
{
    public Account Account { get; private set; } = default!;
    public DateTimeOffset ActivatedAt { get; private set; }
    /// <summary>A new space reads « Votre inscription »; a change of login e-mail says it was activated.</summary>
    public bool NewSpace { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (await LoadAsync() is { } redirect)
        {
            return redirect;
        }
        return Page();
    }

    /// <summary>« Sauvegardez ou imprimez le récapitulatif »</summary>
    public async Task<IActionResult> OnGetPdfAsync()
    {
        if (await LoadAsync() is { } redirect)
        {
            return redirect;
        }
        return await downloads.DownloadAsync(HttpContext, Account, "activation");
    }

    private async Task<IActionResult?> LoadAsync()
    {
        if (wizard.Read(HttpContext) is not { Step: 3, AccountId: { } id, CompletedAt: { } at } state)
        {
            return RedirectToPage("Index");
        }
        var account = await db.Users.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id);
        if (account is null)
        {
            return RedirectToPage("Index");
        }
        (Account, ActivatedAt, NewSpace) = (account, at, state.NewSpace);
        return null;
    }
}
