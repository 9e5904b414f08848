using EspacePro.Data;
using EspacePro.Web.Accounts;
using EspacePro.Web.Database;
using EspacePro.Web.Mail;
using EspacePro.Web.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EspacePro.Web.Pages.GererMonEspace.ModificationEnAttente;

/// <summary>
/// A pending change of login e-mail, from inside the space: « Je n'ai pas reçu mon code » sends
/// a new code to the pending address (the previous one is void), at most
/// <see cref="EmailChangeRequests.CodesPerDay"/> codes a day with the request's own; « Annuler
/// la modification » voids it, after the current password when the login is not recent.
/// </summary>
public sealed class IndexModel(
    EspaceProDbContext db,
    RecentLogin recentLogins,
    Mailer mailer,
    PublicLinks links,
    Audit audit,
    TimeProvider time,
    IOptions<ActivationOptions> activationOptions,
    SessionCheckCache spaces) : PageModel
{
    public const string ResentMessage = "Un nouveau code d'activation a été envoyé à l'adresse en attente. Le code précédent n'est plus valable.";
    public const string CancelledMessage = "La modification de votre adresse électronique de connexion a été annulée : votre adresse actuelle reste celle de connexion.";
    public static readonly string QuotaMessage =
        $"Vous avez déjà reçu {EmailChangeRequests.CodesPerDay} codes d'activation au cours des dernières 24 heures : réessayez plus tard, ou vérifiez la rubrique « Courrier indésirable » ou « Spam » de votre messagerie.";

    public PendingEmailChange? Pending { get; private set; }
    public bool NeedsPassword { get; private set; }
    public int RecentLoginMinutes => recentLogins.WindowMinutes;

    [BindProperty]
    public string? CurrentPassword { get; set; }

    [TempData(Key = "PendingEmailMessage")]
    public string? Message { get; set; }

    public async Task OnGetAsync()
    {
        Pending = await db.FindLiveAsync(AccountSessions.GetAccountId(User)!.Value, time.GetUtcNow());
        NeedsPassword = await recentLogins.IsStaleAsync(User);
    }

    /// <summary>« Je n'ai pas reçu mon code »</summary>
    public async Task<IActionResult> OnPostResendAsync()
    {
        var accountId = AccountSessions.GetAccountId(User)!.Value;
        var now = time.GetUtcNow();
        Pending = await db.FindLiveAsync(accountId, now);
        if (Pending is null)
        {
            return RedirectToPage();
        }
        if (await db.CodesSentAsync(accountId, now) >= EmailChangeRequests.CodesPerDay)
        {
            await audit.RecordNowAsync("email-change.resend-refused", accountId, new { pending = Pending.Id });
            NeedsPassword = await recentLogins.IsStaleAsync(User);
            ModelState.AddModelError(string.Empty, QuotaMessage);
            return Page();
        }

        var code = ActivationCodes.Generate();
        var lifetime = activationOptions.Value.CodeLifetime;
        await using var transaction = await db.Database.BeginRequestTransactionAsync();
        // The row is claimed by the hash it had when read: of two resends racing, one replaces
        // the code and the other changes nothing, so the day's count cannot be overrun.
        var previousHash = Pending.CodeHash;
        var replaced = await db.PendingEmailChanges
            .Where(p => p.Id == Pending.Id && p.CodeHash == previousHash && p.UsedAt == null && p.VoidedAt == null)
            .ExecuteUpdateAsync(s => s
                .SetProperty(p => p.CodeHash, ActivationCodes.Hash(code))
                .SetProperty(p => p.FailedAttempts, 0)
                .SetProperty(p => p.ExpiresAt, now + lifetime));
        if (replaced == 1)
        {
            // The home page's banner gives the new lapse date.
            spaces.ForgetAccount(db, accountId);
            mailer.Enqueue(new ActivationCodeEmail(Pending.NewEmail, code, links.To("/activation"), (int)lifetime.TotalHours));
            audit.Record(EmailChangeRequests.CodeResent, accountId, new { pending = Pending.Id });
            await db.SaveChangesAsync();
        }
        await transaction.CommitAsync();
        Message = ResentMessage;
        return RedirectToPage();
    }

    /// <summary>« Annuler la modification »</summary>
    public async Task<IActionResult> OnPostCancelAsync()
    {
        var account = await db.LoadAsync(User);
        var now = time.GetUtcNow();
        Pending = await db.FindLiveAsync(account.Id, now);
        if (Pending is null)
        {
            return RedirectToPage();
        }
        if (await recentLogins.IsStaleAsync(User))
        {
            NeedsPassword = true;
            if (CurrentPassword is null)
            {
                // From the home page's button: the password is asked here first.
                return Page();
            }
            if (await recentLogins.ConfirmAsync(HttpContext, User, account, CurrentPassword) is { } error)
            {
                ModelState.AddModelError(nameof(CurrentPassword), error);
                return Page();
            }
        }
        var cancelled = await db.PendingEmailChanges
            .Where(p => p.Id == Pending.Id && p.UsedAt == null && p.VoidedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.VoidedAt, now).SetProperty(p => p.VoidReason, "cancelled"));
        if (cancelled == 1)
        {
            spaces.ForgetAccount(db, account.Id);
            await audit.RecordNowAsync("email-change.cancelled", account.Id, new { pending = Pending.Id, from = "space" });
        }
        TempData[nameof(GererMonEspace.IndexModel.StatusMessage)] = CancelledMessage;
        return RedirectToPage("/GererMonEspace/Index");
    }
}
