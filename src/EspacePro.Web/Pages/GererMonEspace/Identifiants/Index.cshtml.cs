using System.Text.Json;
using EspacePro.Data;
using EspacePro.Web.Accounts;
using EspacePro.Web.Database;
using EspacePro.Web.Passwords;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using PasswordOptions = EspacePro.Web.Passwords.PasswordOptions;

namespace EspacePro.Web.Pages.GererMonEspace.Identifiants;

/// <summary>
/// « Modifier mes identifiants de connexion » (sheet chapters 3, 4.1 and 5): any combination of
/// a new login e-mail (pending until activated), a new password and a new trust question,
/// validated as a whole and saved in one transaction with the e-mails it causes.
/// </summary>
public sealed class IndexModel(
    EspaceProDbContext db,
    EmailSection email,
    PasswordSection password,
    TrustSection trust,
    TimeProvider time,
    IOptions<PasswordOptions> passwordOptions,
    RecentLogin recentLogins) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    [BindProperty]
    public ReauthenticationInput Reauth { get; set; } = new();

    public Account Account { get; private set; } = default!;
    public bool NeedsReauthentication { get; private set; }
    /// <summary>The server's judgement of the typed password, shown after a post (no JavaScript needed).</summary>
    public PasswordStrength? Strength { get; private set; }
    public int MinimumLength => passwordOptions.Value.MinimumLength;
    public int RecentLoginMinutes => recentLogins.WindowMinutes;

    /// <summary>« modifier=mot-de-passe » opens the password section (from « Je ne reconnais pas cette activité »).</summary>
    [BindProperty(SupportsGet = true, Name = "modifier")]
    public string? OpenSection { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        Account = await db.LoadAsync(User);
        NeedsReauthentication = await IsLoginStaleAsync();
        Input.Question = Account.TrustQuestion;
        Input.ChangePassword = OpenSection == "mot-de-passe";
        return Page();
    }

    /// <summary>Confirms the current password when the session's login is older than the window.</summary>
    public async Task<IActionResult> OnPostReauthenticateAsync()
    {
        Account = await db.LoadAsync(User);
        if (await recentLogins.ConfirmAsync(HttpContext, User, Account, Reauth.CurrentPassword) is { } error)
        {
            ModelState.AddModelError("Reauth.CurrentPassword", error);
            NeedsReauthentication = true;
            return Page();
        }
        return OpenSection == "mot-de-passe" ? RedirectToPage(new { modifier = OpenSection }) : RedirectToPage();
    }

    /// <summary>« Valider »</summary>
    public async Task<IActionResult> OnPostAsync()
    {
        Account = await db.LoadAsync(User);
        if (await IsLoginStaleAsync())
        {
            NeedsReauthentication = true;
            ModelState.Clear();
            ModelState.AddModelError(string.Empty,
                $"Votre connexion date de plus de {RecentLoginMinutes} minutes : confirmez votre mot de passe actuel, puis recommencez votre modification.");
            return Page();
        }

        // The sections' errors in the order of the form, then those that need the database.
        if (!Input.ChangeEmail && !Input.ChangePassword && !Input.ChangeTrust)
        {
            ModelState.AddModelError("Input.ChangeEmail",
                "Cochez au moins une rubrique à modifier : adresse électronique, mot de passe ou question de confiance.");
        }
        else
        {
            email.Validate(Input, Account, ModelState);
            PasswordSection.RefuseUnlessTicked(Input, ModelState);
            TrustSection.Validate(Input, Account, ModelState);
        }
        await email.CheckQuotasAsync(Input, Account, ModelState);
        await password.ValidateAsync(Input, Account, ModelState, HttpContext.RequestAborted);
        if (!ModelState.IsValid)
        {
            Strength = password.Estimate(Input.NewPassword, Account);
            return Page();
        }

        var saved = await SaveAsync();
        TempData[EnregistrementModel.TempDataKey] = JsonSerializer.Serialize(saved);
        return RedirectToPage("Enregistrement");
    }

    /// <summary>The live « Niveau de sécurité » meter; the same judgement as after a post.</summary>
    public async Task<IActionResult> OnPostStrengthAsync([FromForm(Name = "password")] string? typed)
    {
        if (string.IsNullOrEmpty(typed) || !PasswordText.IsWithinMaximum(typed))
        {
            return new JsonResult(new { level = "", label = "" });
        }
        var result = password.Estimate(typed, await db.LoadAsync(User))!;
        return new JsonResult(new { level = result.Level.ToString(), label = result.Label });
    }

    private Task<bool> IsLoginStaleAsync() => recentLogins.IsStaleAsync(User);

    /// <summary>Every ticked section in one transaction, with the e-mails it causes.</summary>
    private async Task<SavedChanges> SaveAsync()
    {
        var now = time.GetUtcNow();
        var account = Account;
        var sessionId = AccountSessions.GetSessionId(User)!.Value;
        var newEmail = EmailSection.NewEmail(Input);

        var passwordHash = await password.HashAsync(Input, HttpContext.RequestAborted);
        var answerHash = await trust.HashAsync(Input);

        await using var transaction = await db.Database.BeginRequestTransactionAsync();
        if (passwordHash is not null)
        {
            password.Apply(account, passwordHash, now);
        }
        if (answerHash is not null)
        {
            trust.Apply(account, Input.Question!, answerHash, now);
        }
        if (Input.ChangeEmail)
        {
            await email.RequestAsync(account, newEmail, now);
        }
        await db.SaveChangesAsync();
        if (passwordHash is not null)
        {
            await password.CloseOthersAsync(account, sessionId, now);
        }
        await transaction.CommitAsync();
        if (passwordHash is not null)
        {
            await password.RenewCookieAsync(account, sessionId);
        }
        return new SavedChanges(passwordHash is not null, passwordHash is not null ? account.PasswordValidUntil : null,
            answerHash is not null, Input.ChangeEmail ? newEmail : null, now);
    }
}
