using System.ComponentModel.DataAnnotations;
using EspacePro.Data;
using EspacePro.Web.Accounts;
using EspacePro.Web.Captcha;
using EspacePro.Web.Database;
using EspacePro.Web.Mail;
using EspacePro.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;

namespace EspacePro.Web.Pages.MotDePasseOublie;

/// <summary>
/// « Mot de passe oublié ? », step 1 (docs/security.md R20): the login e-mail and a
/// captcha. Whatever the address, the same page follows; only an activated space's login
/// e-mail gets the single-use link. Login throttling does not apply: a locked-out user must
/// be able to recover.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(RateLimits.Anonymous)]
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
        await RequestAsync(account?.Id, account?.Email);
        TempData[DemandeEnvoyeeModel.TempDataKey] = true;
        return RedirectToPage("DemandeEnvoyee");
    }

    public async Task<IActionResult> OnPostNewCaptchaAsync()
    {
        await captchas.CheckAsync(CaptchaPurpose.PasswordReset, Captcha.Id, null);
        return RedirectToPage();
    }

    /// <summary>
    /// Runs the same reads, token and mail work and the same statements in one transaction for
    /// an unknown address as for a known one (only the rows added differ), so that the answer's
    /// speed does not tell them apart.
    /// </summary>
    private async Task RequestAsync(Guid? accountId, string? email)
    {
        var now = time.GetUtcNow();
        var id = accountId ?? Guid.Empty;
        var recent = await db.PasswordResets.CountAsync(r => r.AccountId == id && r.CreatedAt > now.AddHours(-1));
        var token = LinkTokens.New();
        var mail = new PasswordResetLinkEmail(email ?? Input.Email, links.To($"/mot-de-passe-oublie/lien/{token}"), now);
        var sends = accountId is not null && email is not null && recent < MaxRequestsPerHour;
        var voidFor = sends ? id : Guid.Empty;

        await using var transaction = await db.Database.BeginRequestTransactionAsync();
        // A new link voids the previous ones.
        await db.PasswordResets
            .Where(r => r.AccountId == voidFor && r.UsedAt == null && r.VoidedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.VoidedAt, now));
        if (sends)
        {
            db.PasswordResets.Add(new PasswordResetRequest
            {
                Id = Guid.NewGuid(),
                AccountId = id,
                TokenHash = LinkTokens.Hash(token),
                CreatedAt = now,
                ExpiresAt = now + ResetFlow.LinkLifetime,
            });
            mailer.Enqueue(mail);
            audit.Record("password-reset.requested", accountId);
        }
        else
        {
            // Composed and dropped, as the known path composes its mail. Over the cap the page
            // says the same; the last links sent are still valid.
            _ = (LinkTokens.Hash(token), mail.TextBody(), mail.HtmlBody());
            audit.Record(accountId is null ? "password-reset.unknown" : "password-reset.rate-limited", accountId);
        }
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
    }

    private async Task IssueCaptchaAsync() =>
        CaptchaView = new(await captchas.IssueAsync(CaptchaPurpose.PasswordReset), CaptchaPurpose.PasswordReset, "Recopiez les caractères de l'image : *");

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Saisissez l'adresse électronique de connexion de votre espace professionnel.")]
        [LoginEmail]
        public string Email { get => _email; set => _email = value?.Trim() ?? ""; }
        private string _email = "";
    }
}
