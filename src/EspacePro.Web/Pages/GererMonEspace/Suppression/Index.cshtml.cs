using EspacePro.Data;
using EspacePro.Web.Accounts;
using EspacePro.Web.Data;
using EspacePro.Web.Mail;
using EspacePro.Web.Passwords;
using EspacePro.Web.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace EspacePro.Web.Pages.GererMonEspace.Suppression;

/// <summary>
/// « Supprimer mon espace professionnel »: confirmed with the current password, then every row
/// of the space is erased (its companies, services, sessions, requests and history cascade), a
/// notice goes to its address and the session ends. The audit keeps only the space's id.
/// </summary>
public sealed class IndexModel(
    EspaceProDbContext db, PasswordHashing hashing, LoginThrottler throttler, AccountSessions sessions,
    Mailer mailer, Audit audit, TimeProvider time, SessionCheckCache sessionChecks) : PageModel
{
    [BindProperty]
    public string? CurrentPassword { get; set; }

    [BindProperty]
    public bool Confirm { get; set; }

    public Account Account { get; private set; } = default!;

    public async Task OnGetAsync() => Account = await db.LoadAsync(User);

    public async Task<IActionResult> OnPostAsync()
    {
        Account = await db.LoadAsync(User);
        if (!Confirm)
        {
            ModelState.AddModelError(nameof(Confirm), "Cochez la case pour confirmer la suppression définitive de votre espace.");
        }
        var key = LoginThrottler.AccountKey(Account.NormalizedEmail!);
        var addressKey = LoginThrottler.AddressKey(Audit.ClientAddress(HttpContext));
        if (string.IsNullOrEmpty(CurrentPassword))
        {
            ModelState.AddModelError(nameof(CurrentPassword), "Saisissez votre mot de passe actuel.");
        }
        else if (await throttler.IsBlockedAsync(key, addressKey))
        {
            ModelState.AddModelError(nameof(CurrentPassword), "Trop de tentatives incorrectes : patientez quelques minutes avant de réessayer.");
        }
        else if (!PasswordText.IsWithinMaximum(CurrentPassword) || !await hashing.MatchesAsync(Account.PasswordHash, CurrentPassword, HttpContext.RequestAborted))
        {
            await throttler.RecordFailureAsync(key, addressKey);
            await audit.RecordNowAsync("space-deletion.refused", Account.Id);
            ModelState.AddModelError(nameof(CurrentPassword), "Le mot de passe saisi n'est pas votre mot de passe actuel.");
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var now = time.GetUtcNow();
        await using (var transaction = await db.Database.BeginRequestTransactionAsync())
        {
            mailer.Enqueue(new SpaceDeletedEmail(Account.Email!, now));
            audit.Record("space.deleted", Account.Id);
            db.Users.Remove(Account);
            await db.SaveChangesAsync();
            await db.LoginThrottles.Where(t => t.Key == key).ExecuteDeleteAsync();
            await transaction.CommitAsync();
        }
        // After the commit, so that no read racing the transaction outlives it on this node.
        sessionChecks.ForgetAccount(Account.Id);
        await sessions.SignOutAsync(User);
        return RedirectToPage("Effectuee");
    }
}
