using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EspacePro.Web.Pages.MotDePasseOublie;

/// <summary>The end of « Mot de passe oublié »: the new validity date, shown once (PRG), and no login.</summary>
[AllowAnonymous]
public sealed class ConfirmationModel : PageModel
{
    public const string TempDataKey = "PasswordResetDone";

    public DateOnly ValidUntil { get; private set; }

    public IActionResult OnGet()
    {
        if (TempData[TempDataKey] is not string json)
        {
            return RedirectToPage("Index");
        }
        ValidUntil = JsonSerializer.Deserialize<DateOnly>(json);
        return Page();
    }
}
