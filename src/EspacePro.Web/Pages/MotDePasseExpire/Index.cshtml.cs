using EspacePro.Data;
using EspacePro.Web.Accounts;
using EspacePro.Web.Database;
using EspacePro.Web.Mail;
using EspacePro.Web.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EspacePro.Web.Pages.MotDePasseExpire;

/// <summary>The forced change after expiry: the login just proved the old password, so only the new one is asked.</summary>
public sealed class IndexModel(
    EspaceProDbContext db, PasswordChanges passwords, AccountSessions sessions, Mailer mailer, Audit audit, TimeProvider time) : PageModel
{
    [BindProperty]
    public string? NewPassword { get; set; }

    [BindProperty]
    public string? ConfirmPassword { get; set; }

    public Account Account { get; private set; } = default!;

    public async Task<IActionResult> OnGetAsync()
    {
        Account = await db.LoadAsync(User);
        return PasswordValidity.IsExpired(Account.PasswordValidUntil, time.GetUtcNow()) ? Page() : Redirect("/");
    }

    public async Task<IActionResult> OnPostAsync()
    {
        Account = await db.LoadAsync(User);
        var now = time.GetUtcNow();
        if (!PasswordValidity.IsExpired(Account.PasswordValidUntil, now))
        {
            return Redirect("/");
        }
        await passwords.ValidateAsync(Account, NewPassword, ConfirmPassword, ModelState, nameof(NewPassword), nameof(ConfirmPassword), HttpContext.RequestAborted);
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var hash = await passwords.HashAsync(NewPassword!, HttpContext.RequestAborted);
        var sessionId = AccountSessions.GetSessionId(User)!.Value;
        await using var transaction = await db.Database.BeginRequestTransactionAsync();
        passwords.Apply(Account, hash, now);
        mailer.Enqueue(new PasswordChangedEmail(Account.Email!, now, Account.PasswordValidUntil));
        audit.Record("password.changed", Account.Id, new { reason = "expired" });
        await db.SaveChangesAsync();
        await passwords.CloseOtherAccessAsync(Account.Id, keepSession: sessionId, now);
        await transaction.CommitAsync();
        await passwords.TrimHistoryAsync(Account.Id);
        await sessions.RenewCookieAsync(Account, sessionId);
        TempData["HomeMessage"] = $"Votre mot de passe a été modifié. Ce mot de passe est valable jusqu'au {Common.FrenchFormat.LongDate(Account.PasswordValidUntil)}.";
        return Redirect("/");
    }
}
