using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EspacePro.Web.Pages.Creation;

[AllowAnonymous]
public sealed class CourrielEnvoyeModel : PageModel
{
    public string Email { get; private set; } = "";

    public IActionResult OnGet()
    {
        if (TempData[IndexModel.SentKey] is not string email)
        {
            return RedirectToPage("Index");
        }
        Email = email;
        return Page();
    }
}
