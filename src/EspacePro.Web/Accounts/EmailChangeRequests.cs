using EspacePro.Data;
using Microsoft.EntityFrameworkCore;

namespace EspacePro.Web.Accounts;

/// <summary>
/// A space's pending change of login e-mail, and how many activation codes it was sent lately.
/// </summary>
public static class EmailChangeRequests
{
    /// <summary>The journal's event for « Je n'ai pas reçu mon code ».</summary>
    public const string CodeResent = "email-change.code-resent";

    /// <summary>Codes a space may be sent in 24 hours, the request's own and « Je n'ai pas reçu mon code ».</summary>
    public const int CodesPerDay = 3;

    public static readonly TimeSpan QuotaWindow = TimeSpan.FromHours(24);

    /// <summary>The live pending change of a space (at most one: a new request voids the previous one).</summary>
    public static Task<PendingEmailChange?> FindLiveAsync(this EspaceProDbContext db, Guid accountId, DateTimeOffset now) =>
        db.PendingEmailChanges.AsNoTracking()
            .Where(p => p.AccountId == accountId && p.UsedAt == null && p.VoidedAt == null && p.ExpiresAt > now)
            .OrderByDescending(p => p.CreatedAt)
            .FirstOrDefaultAsync();

    /// <summary>
    /// <see cref="FindLiveAsync"/> for the home page, through this node's <see cref="SessionCheckCache"/>:
    /// a burst of page views costs one read. The cache forgets the space whenever one of its
    /// changes is requested, resent, cancelled, voided or activated on this node; another node
    /// shows it within the cache's delay (5 s by default). The lapse is checked on every view.
    /// </summary>
    public static async Task<PendingEmailChange?> FindLiveCachedAsync(this EspaceProDbContext db, Guid accountId, SessionCheckCache cache, DateTimeOffset now)
    {
        if (!cache.TryGetPendingEmailChange(accountId, out var pending))
        {
            pending = await db.FindLiveAsync(accountId, now);
            cache.SetPendingEmailChange(accountId, pending, now);
        }
        return pending is not null && pending.ExpiresAt > now ? pending : null;
    }

    /// <summary>
    /// Changes of login e-mail a space requested since <paramref name="since"/>: one pending row
    /// each, whatever became of it. Counting rows that exist, rather than keeping a counter,
    /// leaves nothing to drift from what happened.
    /// </summary>
    public static Task<int> RequestsSinceAsync(this EspaceProDbContext db, Guid accountId, DateTimeOffset since) =>
        db.PendingEmailChanges.CountAsync(p => p.AccountId == accountId && p.CreatedAt > since);

    /// <summary>
    /// Activation codes a space was sent for changes of login e-mail in the 24 hours before
    /// <paramref name="now"/>: each request's own, and each « Je n'ai pas reçu mon code » (its
    /// journal event).
    /// </summary>
    public static async Task<int> CodesSentAsync(this EspaceProDbContext db, Guid accountId, DateTimeOffset now)
    {
        var since = now - QuotaWindow;
        return await db.RequestsSinceAsync(accountId, since)
            + await db.AuditEvents.CountAsync(e => e.AccountId == accountId && e.Type == CodeResent && e.At > since);
    }
}
