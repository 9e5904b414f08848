using EspacePro.Data;
using EspacePro.Web.Accounts;
using EspacePro.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;

namespace EspacePro.Web.Pages.Annulation;

/// <summary>
/// The cancel link sent to the OLD address when a new login e-mail is requested: it voids the
/// pending change (and its activation code) so that a hijacked session cannot move the space.
/// GET only shows the question; the POST does it.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(RateLimits.Anonymous)]
public sealed class IndexModel(EspaceProDbContext db, AccountSessions sessions, TimeProvider time, Audit audit) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    public bool Valid { get; private set; }
    public bool Done { get; private set; }

    public async Task OnGetAsync() => Valid = await FindAsync() is not null;

    public async Task<IActionResult> OnPostAsync()
    {
        var pending = await FindAsync();
        if (pending is null)
        {
            return Page();
        }
        var now = time.GetUtcNow();
        var changed = await db.PendingEmailChanges
            .Where(p => p.Id == pending.Id && p.UsedAt == null && p.VoidedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.VoidedAt, now).SetProperty(p => p.VoidReason, "cancelled"));
        if (changed == 1)
        {
            // Whoever asked for the change may hold a stolen session: every browser of the space
            // is closed, and the owner logs in again with the password.
            var closed = await sessions.RevokeAllAsync(pending.AccountId);
            await audit.RecordNowAsync("email-change.cancelled", pending.AccountId, new { pending = pending.Id, sessionsClosed = closed });
        }
        Done = true;
        return Page();
    }

    private async Task<PendingEmailChange?> FindAsync()
    {
        if (!LinkTokens.IsWellFormed(Token))
        {
            return null;
        }
        var hash = LinkTokens.Hash(Token!);
        var now = time.GetUtcNow();
        return await db.PendingEmailChanges.AsNoTracking().FirstOrDefaultAsync(p =>
            p.CancelTokenHash == hash && p.UsedAt == null && p.VoidedAt == null && p.ExpiresAt > now);
    }
}
