using EspacePro.Data;
using EspacePro.Web.Accounts;
using EspacePro.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;

namespace EspacePro.Web.Pages.MotDePasseOublie;

/// <summary>
/// Step 2, the e-mailed link: opening it proves control of the mailbox. A live token is traded
/// for this browser's reset cookie and the token leaves the address bar at once. Nothing is
/// consumed here (mail scanners open links too): the request is used by the new password.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(RateLimits.Anonymous)]
public sealed class LienModel(EspaceProDbContext db, ResetFlow flow, Audit audit, TimeProvider time) : PageModel
{
    public async Task<IActionResult> OnGetAsync(string? token)
    {
        if (LinkTokens.IsWellFormed(token))
        {
            var hash = LinkTokens.Hash(token!);
            var now = time.GetUtcNow();
            var request = await db.PasswordResets.AsNoTracking()
                .FirstOrDefaultAsync(r => r.TokenHash == hash && r.UsedAt == null && r.VoidedAt == null && r.ExpiresAt > now);
            if (request is not null)
            {
                flow.Write(HttpContext, new ResetState(request.Id, AnswerVerified: false));
                await audit.RecordNowAsync("password-reset.link-opened", request.AccountId);
                return RedirectToPage("Question");
            }
        }
        flow.Clear(HttpContext);
        Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
    }
}
