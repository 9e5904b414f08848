using System.Security.Claims;
using EspacePro.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace EspacePro.Web.Accounts;

/// <summary>
/// Server-side sessions (SECURITY.md §15): the cookie carries a session id checked on every
/// request, so logout, a password change or an activation closes sessions on every node.
/// </summary>
public sealed class AccountSessions(EspaceProDbContext db, TimeProvider time, SignInManager<Account> signIn)
{
    public const string SessionClaim = "espacepro:sid";
    public const string PasswordExpiredKey = "espacepro:password-expired";
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(30);
    public static readonly TimeSpan AbsoluteTimeout = TimeSpan.FromHours(12);
    /// <summary>LastSeenAt is written at most this often, not on every request.</summary>
    private static readonly TimeSpan TouchInterval = TimeSpan.FromMinutes(1);

    /// <summary>Opens a new session and issues a fresh cookie (never reusing a pre-login one).</summary>
    public async Task SignInAsync(Account account)
    {
        var session = Open(account);
        await db.SaveChangesAsync();
        await RenewCookieAsync(account, session.Id);
    }

    /// <summary>Adds a new session to the unit of work; the caller saves, then calls <see cref="RenewCookieAsync"/>.</summary>
    public AccountSession Open(Account account)
    {
        var now = time.GetUtcNow();
        var session = new AccountSession
        {
            Id = Guid.NewGuid(),
            AccountId = account.Id,
            CreatedAt = now,
            AuthenticatedAt = now,
            LastSeenAt = now,
        };
        db.Sessions.Add(session);
        return session;
    }

    /// <summary>Re-issues the cookie of the current session (after a security stamp change).</summary>
    public async Task RenewCookieAsync(Account account, Guid sessionId) =>
        await signIn.SignInWithClaimsAsync(account, new AuthenticationProperties { IsPersistent = false },
            [new Claim(SessionClaim, sessionId.ToString())]);

    public async Task SignOutAsync(ClaimsPrincipal user)
    {
        if (GetSessionId(user) is { } id)
        {
            await db.Sessions.Where(s => s.Id == id && s.RevokedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.RevokedAt, time.GetUtcNow()));
        }
        await signIn.SignOutAsync();
    }

    /// <summary>Closes every session of the space except <paramref name="keep"/>.</summary>
    public Task<int> RevokeAllAsync(Guid accountId, Guid? keep = null) =>
        db.Sessions.Where(s => s.AccountId == accountId && s.RevokedAt == null && s.Id != keep)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.RevokedAt, time.GetUtcNow()));

    /// <summary>Records that the holder proved the password again in this session.</summary>
    public Task MarkReauthenticatedAsync(Guid sessionId) =>
        db.Sessions.Where(s => s.Id == sessionId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.AuthenticatedAt, time.GetUtcNow()));

    public async Task<DateTimeOffset?> AuthenticatedAtAsync(ClaimsPrincipal user) =>
        GetSessionId(user) is { } id
            ? await db.Sessions.Where(s => s.Id == id).Select(s => (DateTimeOffset?)s.AuthenticatedAt).FirstOrDefaultAsync()
            : null;

    public static Guid? GetSessionId(ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(SessionClaim), out var id) ? id : null;

    public static Guid? GetAccountId(ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    /// <summary>Cookie validation on every authenticated request.</summary>
    public static async Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        var sessionId = principal is null ? null : GetSessionId(principal);
        var accountId = principal is null ? null : GetAccountId(principal);
        var stamp = principal?.FindFirstValue(new IdentityOptions().ClaimsIdentity.SecurityStampClaimType);
        if (sessionId is null || accountId is null)
        {
            await RejectAsync(context);
            return;
        }

        var services = context.HttpContext.RequestServices;
        var db = services.GetRequiredService<EspaceProDbContext>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var row = await db.Sessions
            .Where(s => s.Id == sessionId && s.AccountId == accountId)
            .Join(db.Users, s => s.AccountId, a => a.Id, (s, a) => new { s.CreatedAt, s.LastSeenAt, s.RevokedAt, a.SecurityStamp, a.PasswordValidUntil })
            .FirstOrDefaultAsync();
        if (row is null || row.RevokedAt is not null || row.SecurityStamp != stamp
            || now - row.LastSeenAt > IdleTimeout || now - row.CreatedAt > AbsoluteTimeout)
        {
            await RejectAsync(context);
            return;
        }
        if (PasswordValidity.IsExpired(row.PasswordValidUntil, now))
        {
            context.HttpContext.Items[PasswordExpiredKey] = true;
        }
        if (now - row.LastSeenAt > TouchInterval)
        {
            await db.Sessions.Where(s => s.Id == sessionId)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, now));
        }
    }

    private static async Task RejectAsync(CookieValidatePrincipalContext context)
    {
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
    }
}
