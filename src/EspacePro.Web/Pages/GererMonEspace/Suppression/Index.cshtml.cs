using EspacePro.Data;
using EspacePro.Web.Accounts;
using EspacePro.Web.Database;
using EspacePro.Web.Mail;
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
    EspaceProDbContext db, CurrentPassword currentPassword, AccountSessions sessions,
    Mailer mailer, Audit audit, TimeProvider time) : PageModel
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
        var result = await currentPassword.CheckAsync(HttpContext, Account, CurrentPassword);
        if (result == CurrentPasswordResult.Wrong)
        {
            await audit.RecordNowAsync("space-deletion.refused", Account.Id);
        }
        if (Accounts.CurrentPassword.MessageFor(result) is { } error)
        {
            ModelState.AddModelError(nameof(CurrentPassword), error);
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
            // The rows go with the space; closing them first forgets this node's cached checks,
            // now and again at the commit.
            await sessions.RevokeAllAsync(Account.Id);
            db.Users.Remove(Account);
            await db.SaveChangesAsync();
            await db.LoginThrottles.Where(t => t.Key == LoginThrottler.AccountKey(Account.NormalizedEmail!)).ExecuteDeleteAsync();
            await transaction.CommitAsync();
        }
        await sessions.SignOutAsync(User);
        return RedirectToPage("Effectuee");
    }
}
