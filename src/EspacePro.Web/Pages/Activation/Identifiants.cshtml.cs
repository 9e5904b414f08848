using EspacePro.Data;
using EspacePro.Web.Accounts;
using EspacePro.Web.Database;
using EspacePro.Web.Mail;
using EspacePro.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EspacePro.Web.Pages.Activation;

/// <summary>
/// Step 2 « Identifiants »: the code of step 1 names a live pending change, and the new login
/// e-mail must be that change's. Only a try with the change's code counts against it (five
/// void it), so nobody can spend a victim's tries without the code; any failure goes back to
/// step 1 and its captcha. On success the address becomes the login, every session of the space is
/// closed and the old address is told.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(RateLimits.Anonymous)]
public sealed class IdentifiantsModel(
    EspaceProDbContext db,
    ActivationWizard wizard,
    ILookupNormalizer normalizer,
    Mailer mailer,
    Audit audit,
    TimeProvider time,
    IOptions<ActivationOptions> options,
    AccountSessions sessions,
    TrustedDevices devices,
    SessionCheckCache spaces) : PageModel
{
    /// <summary>The same words whichever of the two was wrong (docs/security.md R17).</summary>
    public const string MismatchMessage =
        "Le code d'activation ou l'adresse électronique de connexion est incorrect. Saisissez de nouveau le code d'activation reçu par courriel, puis votre adresse électronique de connexion.";
    public const string StaleMessage =
        "Ce code d'activation n'est plus valable : il a déjà été utilisé, remplacé par une demande plus récente, annulé, ou son délai de 48h est dépassé. Recommencez la modification de votre adresse électronique depuis votre espace pour recevoir un nouveau code.";
    /// <summary>A new space has no space yet to restart a change from: it is told what it can do.</summary>
    public const string NewAccountStaleMessage =
        "Ce code d'activation n'est plus valable : il a déjà été utilisé ou son délai de 48h est dépassé. Si votre espace est déjà activé, connectez-vous avec votre adresse électronique et votre mot de passe ; sinon, un espace non activé dans le délai est supprimé : créez de nouveau votre espace professionnel depuis la page de connexion (« Créer votre espace professionnel »).";

    [BindProperty]
    public string? Email { get; set; }

    public string Code { get; private set; } = "";

    public IActionResult OnGet()
    {
        if (User.Identity?.IsAuthenticated == true || wizard.Read(HttpContext) is not { Step: 2, Code: { } code })
        {
            return RedirectToPage("Index");
        }
        Code = code;
        return Page();
    }

    /// <summary>« Continuer »</summary>
    public async Task<IActionResult> OnPostAsync()
    {
        if (User.Identity?.IsAuthenticated == true || wizard.Read(HttpContext) is not { Step: 2, Code: { } code })
        {
            return RedirectToPage("Index");
        }
        Code = code;
        var email = Email?.Trim() ?? "";
        if (email.Length == 0)
        {
            ModelState.AddModelError(nameof(Email), "Saisissez votre adresse électronique de connexion.");
            return Page();
        }
        if (LoginEmailAttribute.Problem(email, LoginEmailAttribute.UserExample) is { } problem)
        {
            ModelState.AddModelError(nameof(Email), problem);
            return Page();
        }

        var now = time.GetUtcNow();
        var normalized = normalizer.NormalizeEmail(email);
        // The code of step 1 names the change; the address must then be that change's.
        var codeHash = ActivationCodes.Hash(code);
        var match = await db.PendingEmailChanges.AsNoTracking().FirstOrDefaultAsync(p => p.CodeHash == codeHash);
        if (match is null)
        {
            // No change's tries are spent without its code.
            return await FailAsync("activation.failed", null, MismatchMessage);
        }
        var addressMatches = match.NormalizedNewEmail == normalized;
        // The try is counted before the address is compared, so parallel posts cannot spend more than the allowance.
        var max = options.Value.MaxAttempts;
        var counted = await db.PendingEmailChanges
            .Where(p => p.Id == match.Id && p.UsedAt == null && p.VoidedAt == null && p.ExpiresAt > now && p.FailedAttempts < max)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.FailedAttempts, p => p.FailedAttempts + 1));
        if (counted == 0)
        {
            return await FailAsync("activation.stale", match.AccountId,
                !addressMatches ? MismatchMessage : await IsNewAccountAsync(match) ? NewAccountStaleMessage : StaleMessage);
        }
        if (!addressMatches)
        {
            // The last allowed try voids the code.
            var voided = await db.PendingEmailChanges
                .Where(p => p.Id == match.Id && p.VoidedAt == null && p.UsedAt == null && p.FailedAttempts >= max)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.VoidedAt, now).SetProperty(p => p.VoidReason, "attempts"));
            if (voided == 1)
            {
                // The space's home page stops showing the change.
                spaces.ForgetAccount(db, match.AccountId);
                audit.Record("activation.code-voided", match.AccountId, new { pending = match.Id });
            }
            return await FailAsync("activation.failed", match.AccountId, MismatchMessage);
        }

        var account = await db.Users.FirstAsync(a => a.Id == match.AccountId);
        var oldEmail = account.Email;
        var isCreation = account.ActivatedAt is null;
        await using var transaction = await db.Database.BeginRequestTransactionAsync();
        // Only one request can use the code, even if two posts race.
        var claimed = await db.PendingEmailChanges
            .Where(p => p.Id == match.Id && p.UsedAt == null && p.VoidedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.UsedAt, now));
        var addressTaken = await db.Users.AnyAsync(a => a.NormalizedEmail == normalized && a.Id != account.Id);
        if (claimed != 1 || addressTaken)
        {
            await transaction.RollbackAsync();
            await audit.RecordNowAsync("activation.stale", account.Id, new { taken = addressTaken });
            wizard.Clear(HttpContext);
            TempData[IndexModel.ErrorKey] = isCreation ? NewAccountStaleMessage : StaleMessage;
            return RedirectToPage("Index");
        }

        account.Email = match.NewEmail;
        account.NormalizedEmail = normalized;
        account.EmailConfirmed = true;
        account.SecurityStamp = Guid.NewGuid().ToString("N");
        account.ActivatedAt ??= now;
        // Any other pending request of the space dies with this one.
        await db.PendingEmailChanges
            .Where(p => p.AccountId == account.Id && p.Id != match.Id && p.UsedAt == null && p.VoidedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.VoidedAt, now).SetProperty(p => p.VoidReason, "replaced"));
        await db.VoidResetLinksAsync(account.Id, now);
        await sessions.RevokeAllAsync(account.Id);
        await devices.RevokeAllAsync(account.Id);
        if (!isCreation && oldEmail is not null)
        {
            mailer.Enqueue(new EmailChangedEmail(oldEmail, match.NewEmail, now));
        }
        audit.Record(isCreation ? "space.activated" : "email-change.activated", account.Id, new { pending = match.Id });
        await db.SaveChangesAsync();
        // The commit also forgets this node's cached checks once more (SessionCheckCache).
        await transaction.CommitAsync();

        wizard.Write(HttpContext, new WizardState(3, null, account.Id, now, isCreation));
        return RedirectToPage("Recapitulatif");
    }

    /// <summary>
    /// Whether the pending row created a space rather than changed one's address: the space was
    /// never activated, or this very row activated it.
    /// </summary>
    private async Task<bool> IsNewAccountAsync(PendingEmailChange pending)
    {
        var activatedAt = await db.Users.Where(a => a.Id == pending.AccountId).Select(a => a.ActivatedAt).FirstOrDefaultAsync();
        return activatedAt is null || activatedAt == pending.UsedAt;
    }

    /// <summary>
    /// A failed step 2 goes back to step 1 with its message: each try at the address costs a
    /// new captcha, and the wizard forgets the code.
    /// </summary>
    private async Task<IActionResult> FailAsync(string auditType, Guid? accountId, string message)
    {
        await audit.RecordNowAsync(auditType, accountId);
        wizard.Clear(HttpContext);
        TempData[IndexModel.ErrorKey] = message;
        return RedirectToPage("Index");
    }
}
