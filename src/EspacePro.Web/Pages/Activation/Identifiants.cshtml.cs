using EspacePro.Data;
using EspacePro.Web.Accounts;
using EspacePro.Web.Data;
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
/// Step 2 « Identifiants »: the code of step 1 and the new login e-mail must match one live
/// pending change. On success the address becomes the login, every session of the space is
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
    SessionCheckCache sessionChecks) : PageModel
{
    /// <summary>The same words whichever of the two was wrong (SECURITY.md §10).</summary>
    public const string MismatchMessage =
        "Le code d'activation ou l'adresse électronique de connexion est incorrect. Vérifiez votre saisie : vous pouvez corriger le code avec « Etape précédente ».";
    public const string StaleMessage =
        "Ce code d'activation n'est plus valable : il a déjà été utilisé, remplacé par une demande plus récente, annulé, ou son délai de 48h est dépassé. Recommencez la modification de votre adresse électronique depuis votre espace pour recevoir un nouveau code.";
    /// <summary>A new space has no space yet to restart a change from: it is told what it can do.</summary>
    public const string NewSpaceStaleMessage =
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
        if (email.Length > LoginEmailAttribute.MaximumLength || !LoginEmailAttribute.IsValidAddress(email))
        {
            ModelState.AddModelError(nameof(Email), "Saisissez une adresse électronique valide, au format utilisateur@domaine.fr.");
            return Page();
        }

        var now = time.GetUtcNow();
        var normalized = normalizer.NormalizeEmail(email);
        var codeHash = ActivationCodes.Hash(code);
        var candidates = await db.PendingEmailChanges
            .Where(p => p.NormalizedNewEmail == normalized || p.CodeHash == codeHash)
            .ToListAsync();
        var match = candidates.FirstOrDefault(p => p.NormalizedNewEmail == normalized && p.CodeHash == codeHash);

        if (match is null || match.UsedAt is not null || match.VoidedAt is not null || match.ExpiresAt <= now)
        {
            await CountFailureAsync(candidates, now);
            await audit.RecordNowAsync(match is null ? "activation.failed" : "activation.stale", match?.AccountId);
            ModelState.AddModelError(nameof(Email), match is null ? MismatchMessage
                : await IsNewSpaceAsync(match) ? NewSpaceStaleMessage : StaleMessage);
            return Page();
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
            ModelState.AddModelError(nameof(Email), isCreation ? NewSpaceStaleMessage : StaleMessage);
            return Page();
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
        await db.Sessions.Where(s => s.AccountId == account.Id && s.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.RevokedAt, now));
        if (!isCreation && oldEmail is not null)
        {
            mailer.Enqueue(new EmailChangedEmail(oldEmail, match.NewEmail, now));
        }
        audit.Record(isCreation ? "space.activated" : "email-change.activated", account.Id, new { pending = match.Id });
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        // After the commit, so that no read racing the transaction outlives it on this node.
        sessionChecks.ForgetAccount(account.Id);

        wizard.Write(HttpContext, new WizardState(3, null, account.Id, now, isCreation));
        return RedirectToPage("Recapitulatif");
    }

    /// <summary>
    /// Whether the pending row created a space rather than changed one's address: the space was
    /// never activated, or this very row activated it.
    /// </summary>
    private async Task<bool> IsNewSpaceAsync(PendingEmailChange pending)
    {
        var activatedAt = await db.Users.Where(a => a.Id == pending.AccountId).Select(a => a.ActivatedAt).FirstOrDefaultAsync();
        return activatedAt is null || activatedAt == pending.UsedAt;
    }

    /// <summary>Wrong tries count against the pending change they aimed at; the fifth voids it.</summary>
    private async Task CountFailureAsync(IEnumerable<PendingEmailChange> candidates, DateTimeOffset now)
    {
        var max = options.Value.MaxAttempts;
        foreach (var pending in candidates.Where(p => p.UsedAt is null && p.VoidedAt is null && p.ExpiresAt > now))
        {
            pending.FailedAttempts++;
            if (pending.FailedAttempts >= max)
            {
                pending.VoidedAt = now;
                pending.VoidReason = "attempts";
                audit.Record("activation.code-voided", pending.AccountId, new { pending = pending.Id });
            }
        }
        await db.SaveChangesAsync();
    }
}
