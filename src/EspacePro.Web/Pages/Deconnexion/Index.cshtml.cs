using EspacePro.Web.Accounts;
using EspacePro.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EspacePro.Web.Pages.Deconnexion;

/// <summary>"Me déconnecter": POST only (no state change on GET); the session is closed server-side.</summary>
[AllowAnonymous]
public sealed class IndexModel(AccountSessions sessions, Audit audit) : PageModel
{
    public IActionResult OnGet() => User.Identity?.IsAuthenticated == true ? Page() : RedirectToPage("/Connexion/Index");

    public async Task<IActionResult> OnPostAsync()
    {
        if (User.Identity?.IsAuthenticated == true)
        {
            await audit.RecordNowAsync("logout", AccountSessions.GetAccountId(User));
            await sessions.SignOutAsync(User);
        }
        TempData["LoggedOut"] = true;
        return RedirectToPage("/Deconnexion/Index", "Done");
    }

    public IActionResult OnGetDone() => Page();
}
