using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EspacePro.Web.Pages.MotDePasseOublie;

/// <summary>The neutral answer of step 1: the same page whether the address has a space or not.</summary>
[AllowAnonymous]
public sealed class DemandeEnvoyeeModel : PageModel
{
    public const string TempDataKey = "PasswordResetRequested";

    public IActionResult OnGet() => TempData[TempDataKey] is true ? Page() : RedirectToPage("Index");
}
