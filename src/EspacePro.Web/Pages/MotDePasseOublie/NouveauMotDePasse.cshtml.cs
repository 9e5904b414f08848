using System.Text.Json;
using EspacePro.Data;
using EspacePro.Web.Accounts;
using EspacePro.Web.Database;
using EspacePro.Web.Mail;
using EspacePro.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PasswordOptions = EspacePro.Web.Passwords.PasswordOptions;

namespace EspacePro.Web.Pages.MotDePasseOublie;

/// <summary>
/// Step 4: the new password, twice, under every rule. Saving it uses the request, voids every
/// other outstanding link and code of the space, closes every session, forgets every recognised browser, lifts the login
/// throttle and mails a notice — in one transaction. No automatic login (docs/security.md R20).
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(RateLimits.Anonymous)]
public sealed class NouveauMotDePasseModel(
    EspaceProDbContext db,
    ResetFlow flow,
    PasswordChanges passwords,
    AccountSessions sessions,
    LoginThrottler throttler,
    TrustedDevices devices,
    Mailer mailer,
    Audit audit,
    TimeProvider time,
    IOptions<PasswordOptions> passwordOptions) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public bool Valid { get; private set; } = true;
    public int MinimumLength => passwordOptions.Value.MinimumLength;

    public async Task<IActionResult> OnGetAsync()
    {
        if (flow.Read(HttpContext) is not { } state)
        {
            return RedirectToPage("Index");
        }
        if (!state.AnswerVerified)
        {
            return RedirectToPage("Question");
        }
        return await ResetFlow.FindAnsweredAsync(db, state.RequestId, time.GetUtcNow()) is null ? Expired() : Page();
    }

    /// <summary>« Valider »</summary>
    public async Task<IActionResult> OnPostAsync()
    {
        if (flow.Read(HttpContext) is not { } state)
        {
            return RedirectToPage("Index");
        }
        if (!state.AnswerVerified)
        {
            return RedirectToPage("Question");
        }
        var request = await ResetFlow.FindAnsweredAsync(db, state.RequestId, time.GetUtcNow());
        if (request is null)
        {
            return Expired();
        }
        var account = await db.Users.FirstAsync(a => a.Id == request.AccountId);
        await passwords.ValidateAsync(account, Input.NewPassword, Input.ConfirmPassword, ModelState,
            "Input.NewPassword", "Input.ConfirmPassword", HttpContext.RequestAborted);
        if (!ModelState.IsValid)
        {
            return Page();
        }

        // Hash outside the transaction: it is the slow part and holds no lock.
        var hash = await passwords.HashAsync(Input.NewPassword!, HttpContext.RequestAborted);
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginRequestTransactionAsync();
        // Only one post can use the request, even if two race (two tabs, two browsers).
        var claimed = await db.PasswordResets
            .Where(r => r.Id == request.Id && r.UsedAt == null && r.VoidedAt == null && r.AnswerVerifiedAt != null)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.UsedAt, now));
        if (claimed != 1)
        {
            await transaction.RollbackAsync();
            return Expired();
        }
        passwords.Apply(account, hash, now);
        // Every other link and code of the space dies with this reset.
        await db.VoidResetLinksAsync(account.Id, now, except: request.Id);
        await db.PendingEmailChanges
            .Where(p => p.AccountId == account.Id && p.UsedAt == null && p.VoidedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.VoidedAt, now).SetProperty(p => p.VoidReason, "reset"));
        await sessions.RevokeAllAsync(account.Id);
        await devices.RevokeAllAsync(account.Id);
        // A user locked out by failed logins can log in with the new password at once.
        await throttler.ForgetAsync(LoginThrottler.AccountKey(account.NormalizedEmail!));
        mailer.Enqueue(new PasswordResetDoneEmail(account.Email!, now, account.PasswordValidUntil));
        audit.Record("password-reset.completed", account.Id, new { request = request.Id });
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        await passwords.TrimHistoryAsync(account.Id);

        flow.Clear(HttpContext);
        TempData[ConfirmationModel.TempDataKey] = JsonSerializer.Serialize(account.PasswordValidUntil);
        return RedirectToPage("Confirmation");
    }

    private PageResult Expired()
    {
        flow.Clear(HttpContext);
        Valid = false;
        return Page();
    }

    public sealed class InputModel
    {
        public string? NewPassword { get; set; }
        public string? ConfirmPassword { get; set; }
    }
}
