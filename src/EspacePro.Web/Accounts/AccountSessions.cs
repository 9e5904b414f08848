using System.Security.Claims;
using EspacePro.Data;
using EspacePro.Web.Common;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace EspacePro.Web.Accounts;

/// <summary>
/// Server-side sessions (docs/security.md R22): the cookie carries a session id checked on every
/// request, so logout, a password change or an activation closes sessions on every node.
/// Every session is closed here, and this node's <see cref="SessionCheckCache"/> forgotten with it.
/// The cookie is issued and removed here rather than through Identity's SignInManager: a
/// SignInManager brings a UserManager, whose construction registers token providers and
/// metric instruments under a process-wide lock on every request that merely injects it.
/// </summary>
public sealed class AccountSessions(
    EspaceProDbContext db, TimeProvider time, IUserClaimsPrincipalFactory<Account> claims,
    IHttpContextAccessor http, SessionCheckCache cache)
{
    public const string SessionClaim = "espacepro:sid";
    public const string PasswordExpiredKey = "espacepro:password-expired";
    public static readonly string SecurityStampClaimType = new IdentityOptions().ClaimsIdentity.SecurityStampClaimType;
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
            Device = UserAgentSummary.Of(http.HttpContext),
        };
        db.Sessions.Add(session);
        return session;
    }

    /// <summary>Re-issues the cookie of the current session (after a security stamp change).</summary>
    public async Task RenewCookieAsync(Account account, Guid sessionId)
    {
        var principal = await claims.CreateAsync(account);
        ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(SessionClaim, sessionId.ToString()));
        var context = Context;
        await context.SignInAsync(IdentityConstants.ApplicationScheme, principal, new AuthenticationProperties { IsPersistent = false });
        // The rest of this request sees the new identity (as SignInManager does).
        context.User = principal;
    }

    public async Task SignOutAsync(ClaimsPrincipal user)
    {
        if (GetSessionId(user) is { } id && GetAccountId(user) is { } accountId)
        {
            await RevokeAsync(accountId, id);
        }
        await Context.SignOutAsync(IdentityConstants.ApplicationScheme);
    }

    /// <summary>
    /// Closes one session of the space <paramref name="accountId"/>; a session id of another
    /// space, or already closed, closes nothing. False when nothing was closed.
    /// </summary>
    public async Task<bool> RevokeAsync(Guid accountId, Guid sessionId)
    {
        var closed = await db.Sessions.Where(s => s.Id == sessionId && s.AccountId == accountId && s.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.RevokedAt, time.GetUtcNow()));
        // This node refuses it at once; the others when their entry expires (SessionCheckCache).
        cache.Forget(sessionId);
        return closed == 1;
    }

    /// <summary>The sessions of the space that would still be accepted now, most recently seen first, at most <paramref name="limit"/>.</summary>
    public Task<List<AccountSession>> ListOpenAsync(Guid accountId, int limit)
    {
        var now = time.GetUtcNow();
        var seenSince = now - IdleTimeout;
        var openedSince = now - AbsoluteTimeout;
        return db.Sessions.AsNoTracking()
            .Where(s => s.AccountId == accountId && s.RevokedAt == null && s.LastSeenAt >= seenSince && s.CreatedAt >= openedSince)
            .OrderByDescending(s => s.LastSeenAt)
            .Take(limit)
            .ToListAsync();
    }

    private HttpContext Context =>
        http.HttpContext ?? throw new InvalidOperationException("Sessions are opened and closed within a request.");

    /// <summary>Closes every session of the space except <paramref name="keep"/>.</summary>
    public async Task<int> RevokeAllAsync(Guid accountId, Guid? keep = null)
    {
        var closed = await db.Sessions.Where(s => s.AccountId == accountId && s.RevokedAt == null && s.Id != keep)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.RevokedAt, time.GetUtcNow()));
        cache.ForgetAccount(db, accountId);
        return closed;
    }

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
        try
        {
            await CheckAsync(context);
        }
        catch (Exception error) when (context.HttpContext.Request.Path.StartsWithSegments("/erreur") && Database.DatabaseUnavailable.Is(error))
        {
            // The error page shown after a database failure needs no account, and reading the
            // session again fails the same way (a bare 500 instead of the French 503 page).
            // Anonymous for this one response only: the cookie is left as it is.
            context.RejectPrincipal();
        }
    }

    private static async Task CheckAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        var sessionId = principal is null ? null : GetSessionId(principal);
        var accountId = principal is null ? null : GetAccountId(principal);
        var stamp = principal?.FindFirstValue(SecurityStampClaimType);
        if (sessionId is null || accountId is null)
        {
            await RejectAsync(context);
            return;
        }

        var services = context.HttpContext.RequestServices;
        var cache = services.GetRequiredService<SessionCheckCache>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        // The cache may say yes, never no: an entry that would refuse the cookie is read again.
        if (!cache.TryGet(sessionId.Value, out var row) || !Accepts(row, accountId.Value, stamp, now))
        {
            var db = services.GetRequiredService<EspaceProDbContext>();
            row = await ReadCheckQuery.For(db)(db, sessionId.Value, accountId.Value, now);
            if (row is null)
            {
                cache.Forget(sessionId.Value);
                await RejectAsync(context);
                return;
            }
            cache.Set(sessionId.Value, row);
            if (!Accepts(row, accountId.Value, stamp, now))
            {
                await RejectAsync(context);
                return;
            }
        }
        if (PasswordValidity.IsExpired(row.PasswordValidUntil, now))
        {
            context.HttpContext.Items[PasswordExpiredKey] = true;
        }
        if (now - row.LastSeenAt > TouchInterval)
        {
            var db = services.GetRequiredService<EspaceProDbContext>();
            await db.Sessions.Where(s => s.Id == sessionId)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, now));
            cache.Set(sessionId.Value, row with { LastSeenAt = now });
        }
    }

    private static bool Accepts(SessionCheckCache.Entry row, Guid accountId, string? stamp, DateTimeOffset now) =>
        row.AccountId == accountId && row.RevokedAt is null && row.SecurityStamp == stamp
        && now - row.LastSeenAt <= IdleTimeout && now - row.CreatedAt <= AbsoluteTimeout;

    /// <summary>One indexed read per check, compiled once (no LINQ translation per request).</summary>
    private static readonly CompiledPerModel<Func<EspaceProDbContext, Guid, Guid, DateTimeOffset, Task<SessionCheckCache.Entry?>>> ReadCheckQuery = new(() =>
        EF.CompileAsyncQuery((EspaceProDbContext db, Guid sessionId, Guid accountId, DateTimeOffset readAt) =>
            db.Sessions.AsNoTracking()
                .Where(s => s.Id == sessionId && s.AccountId == accountId)
                .Join(db.Users, s => s.AccountId, a => a.Id, (s, a) => new SessionCheckCache.Entry(
                    s.AccountId, a.SecurityStamp, s.CreatedAt, s.LastSeenAt, s.RevokedAt, a.PasswordValidUntil, readAt))
                .FirstOrDefault()));

    private static async Task RejectAsync(CookieValidatePrincipalContext context)
    {
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
    }
}
