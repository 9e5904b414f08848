using EspacePro.Data;
using Microsoft.EntityFrameworkCore;

namespace EspacePro.Web.Accounts;

public static class ResetLinks
{
    /// <summary>
    /// Voids the space's outstanding « mot de passe oublié » links (all but <paramref name="except"/>).
    /// A link mailed before a new password or a new login address would otherwise still reset
    /// the password afterwards: whoever holds an old mailbox or an old link must lose it.
    /// Runs inside the caller's transaction.
    /// </summary>
    public static Task<int> VoidResetLinksAsync(this EspaceProDbContext db, Guid accountId, DateTimeOffset now, Guid? except = null) =>
        db.PasswordResets
            .Where(r => r.AccountId == accountId && r.Id != except && r.UsedAt == null && r.VoidedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.VoidedAt, now));
}
