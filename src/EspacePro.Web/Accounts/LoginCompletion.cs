using EspacePro.Data;
using EspacePro.Web.Database;
using EspacePro.Web.Security;

namespace EspacePro.Web.Accounts;

/// <summary>
/// The end of every login, whether the browser was recognised at the password or proved itself
/// with the « code de sécurité »: forgiven failures, the recognised browser, the audit line and
/// the session, in one commit; then the cookie.
/// </summary>
public sealed class LoginCompletion(
    EspaceProDbContext db,
    LoginThrottler throttler,
    TrustedDevices devices,
    AccountSessions sessions,
    Audit audit,
    TimeProvider time,
    Observability.ServiceMetrics metrics)
{
    /// <summary>Opens the session; true when the password has expired and must be changed first.</summary>
    public async Task<bool> CompleteAsync(HttpContext http, Account account, Guid? device, IReadOnlyList<ThrottleKey> keys, bool byCode)
    {
        await using (var transaction = await db.Database.BeginRequestTransactionAsync())
        {
            await throttler.SucceededAsync(keys);
            await devices.TrustAsync(http, account, device);
            audit.Record("login.succeeded", account.Id, byCode ? new { device = false, code = true } : (object)new { device = device is not null });
            var session = sessions.Open(account);
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
            await sessions.RenewCookieAsync(account, session.Id);
        }
        var expired = PasswordValidity.IsExpired(account.PasswordValidUntil, time.GetUtcNow());
        metrics.LoginSucceeded(expired);
        return expired;
    }
}
