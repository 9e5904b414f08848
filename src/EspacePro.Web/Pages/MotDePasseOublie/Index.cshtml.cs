using System.ComponentModel.DataAnnotations;
using EspacePro.Data;
using EspacePro.Web.Accounts;
using EspacePro.Web.Captcha;
using EspacePro.Web.Mail;
using EspacePro.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EspacePro.Web.Pages.MotDePasseOublie;

/// <summary>
/// « Mot de passe oublié ? », step 1 (SPEC §2.7, SECURITY.md §13): the login e-mail and a
/// captcha. Whatever the address, the same page follows; only an activated space's login
/// e-mail gets the single-use link. Login throttling does not apply: a locked-out user must
/// be able to recover.
/// </summary>
[AllowAnonymous]
public sealed class IndexModel(
    EspaceProDbContext db,
    CaptchaStore captchas,
    ILookupNormalizer normalizer,
    Mailer mailer,
    PublicLinks links,
    Audit audit,
    TimeProvider time) : PageModel
{
    /// <summary>Links mailed to one space per hour at most, so that nobody can flood its mailbox.</summary>
    public const int MaxRequestsPerHour = 5;

    [BindProperty]
    public InputModel Input { get; set; } = new();

    [BindProperty]
    public CaptchaInput Captcha { get; set; } = new();

    public CaptchaView CaptchaView { get; private set; } = new(null, CaptchaPurpose.PasswordReset, "");

    public async Task OnGetAsync() => await IssueCaptchaAsync();

    /// <summary>« Continuer »</summary>
    public async Task<IActionResult> OnPostAsync()
    {
        await captchas.CheckAsync(CaptchaPurpose.PasswordReset, Captcha, ModelState);
        if (!ModelState.IsValid)
        {
            await IssueCaptchaAsync();
            return Page();
        }

        var normalized = normalizer.NormalizeEmail(Input.Email);
        var account = await db.Users.AsNoTracking()
            .Where(a => a.NormalizedEmail == normalized && a.ActivatedAt != null)
            .Select(a => new { a.Id, a.Email })
            .FirstOrDefaultAsync();
        if (account?.Email is { } email)
        {
            await RequestAsync(account.Id, email);
        }
        else
        {
            await audit.RecordNowAsync("password-reset.unknown", null);
        }
        TempData[DemandeEnvoyeeModel.TempDataKey] = true;
        return RedirectToPage("DemandeEnvoyee");
    }

    public async Task<IActionResult> OnPostNewCaptchaAsync()
    {
        await captchas.CheckAsync(CaptchaPurpose.PasswordReset, Captcha.Id, null);
        return RedirectToPage();
    }

    private async Task RequestAsync(Guid accountId, string email)
    {
        var now = time.GetUtcNow();
        var outstanding = await db.PasswordResets
            .Where(r => r.AccountId == accountId && r.UsedAt == null && r.VoidedAt == null)
            .ToListAsync();
        var recent = await db.PasswordResets.CountAsync(r => r.AccountId == accountId && r.CreatedAt > now.AddHours(-1));
        if (recent >= MaxRequestsPerHour)
        {
            // The page says the same; the last links sent are still valid.
            await audit.RecordNowAsync("password-reset.rate-limited", accountId);
            return;
        }

        // A new link voids the previous ones.
        foreach (var previous in outstanding)
        {
            previous.VoidedAt = now;
        }
        var token = LinkTokens.New();
        db.PasswordResets.Add(new PasswordResetRequest
        {
            Id = Guid.NewGuid(),
            AccountId = accountId,
            TokenHash = LinkTokens.Hash(token),
            CreatedAt = now,
            ExpiresAt = now + ResetFlow.LinkLifetime,
        });
        mailer.Enqueue(new PasswordResetLinkEmail(email, links.To($"/mot-de-passe-oublie/lien/{token}"), now));
        audit.Record("password-reset.requested", accountId);
        await db.SaveChangesAsync();
    }

    private async Task IssueCaptchaAsync() =>
        CaptchaView = new(await captchas.IssueAsync(CaptchaPurpose.PasswordReset), CaptchaPurpose.PasswordReset, "Recopiez les caractères de l'image : *");

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Saisissez l'adresse électronique de connexion de votre espace professionnel.")]
        [StringLength(LoginEmailAttribute.MaximumLength, ErrorMessage = "L'adresse électronique ne doit pas dépasser 100 caractères.")]
        [LoginEmail]
        public string Email { get => _email; set => _email = value?.Trim() ?? ""; }
        private string _email = "";
    }
}
