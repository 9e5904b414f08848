using EspacePro.Web.Accounts;
using EspacePro.Web.Captcha;
using EspacePro.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace EspacePro.Web.Pages.Activation;

/// <summary>
/// Step 1 « Code d'activation ». Reached logged out: a browser still logged in to a space is
/// asked to close it first (the sheet requires it), with a POST, never on a GET.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(RateLimits.Anonymous)]
public sealed class IndexModel(CaptchaStore captchas, ActivationWizard wizard, AccountSessions sessions, Audit audit) : PageModel
{
    /// <summary>The one-time message of a failed step 2, shown here with a new captcha.</summary>
    public const string ErrorKey = "ActivationError";

    [BindProperty]
    public string? Code { get; set; }

    [BindProperty]
    public CaptchaInput Captcha { get; set; } = new();

    public CaptchaView CaptchaView { get; private set; } = new(null, CaptchaPurpose.Activation, "");
    public bool SignedIn => User.Identity?.IsAuthenticated == true;

    public async Task<IActionResult> OnGetAsync()
    {
        if (!SignedIn)
        {
            // Coming back to step 1 keeps the code typed before ("Etape précédente").
            Code = wizard.Read(HttpContext) is { Step: 2, Code: { } code } ? code : null;
            if (TempData[ErrorKey] is string error)
            {
                // Not next to a field: the message never says whether the code or the address was wrong.
                ModelState.AddModelError(string.Empty, error);
            }
            await IssueCaptchaAsync();
        }
        return Page();
    }

    /// <summary>« Me déconnecter » then go on with the activation.</summary>
    public async Task<IActionResult> OnPostSignOutAsync()
    {
        if (SignedIn)
        {
            await audit.RecordNowAsync("logout", AccountSessions.GetAccountId(User), new { reason = "activation" });
            await sessions.SignOutAsync(User);
        }
        return RedirectToPage();
    }

    /// <summary>« Continuer »</summary>
    public async Task<IActionResult> OnPostAsync()
    {
        if (SignedIn)
        {
            return RedirectToPage();
        }
        var code = Code?.Trim() ?? "";
        if (code.Length == 0)
        {
            ModelState.AddModelError(nameof(Code), "Saisissez le code d'activation reçu par courriel.");
        }
        else if (!ActivationCodes.IsWellFormed(code))
        {
            ModelState.AddModelError(nameof(Code), "Le code d'activation comporte 12 lettres, sans chiffre ni espace : vérifiez votre saisie.");
        }
        await captchas.CheckAsync(CaptchaPurpose.Activation, Captcha, ModelState);
        if (!ModelState.IsValid)
        {
            await IssueCaptchaAsync();
            return Page();
        }
        // Whether the code exists is only said with the address, at step 2 (docs/security.md R17).
        wizard.Write(HttpContext, new WizardState(2, code, null, null));
        return RedirectToPage("Identifiants");
    }

    /// <summary>
    /// « Abandonner », offered at every step: the wizard's state (the code typed, the recap's
    /// access) is forgotten in this browser and the person is back on the login page.
    /// </summary>
    public IActionResult OnPostAbandon()
    {
        wizard.Clear(HttpContext);
        return Redirect("/connexion");
    }

    public async Task<IActionResult> OnPostNewCaptchaAsync()
    {
        await captchas.CheckAsync(CaptchaPurpose.Activation, Captcha.Id, null);
        return RedirectToPage();
    }

    private async Task IssueCaptchaAsync() =>
        CaptchaView = new(await captchas.IssueAsync(CaptchaPurpose.Activation), CaptchaPurpose.Activation, "Recopiez les caractères de l'image : *");
}
