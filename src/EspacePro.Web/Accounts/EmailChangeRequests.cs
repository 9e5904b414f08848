using EspacePro.Data;
using Microsoft.EntityFrameworkCore;

namespace EspacePro.Web.Accounts;

/// <summary>
/// A space's pending change of login e-mail, and how many activation codes it was sent lately.
/// </summary>
public static class EmailChangeRequests
{
    /// <summary>Audit types that each sent an activation code for a change of login e-mail.</summary>
    public const string Requested = "email-change.requested";
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
    /// Audit events of the given types for a space in the 24 hours before <paramref name="now"/>:
    /// the journal is the count, so no counter can drift from what happened.
    /// </summary>
    public static Task<int> CountRecentAsync(this EspaceProDbContext db, Guid accountId, DateTimeOffset now, params string[] types)
    {
        var since = now - QuotaWindow;
        return db.AuditEvents.CountAsync(e => e.AccountId == accountId && e.At > since && types.Contains(e.Type));
    }
}
