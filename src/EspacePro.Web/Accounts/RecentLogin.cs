using System.Security.Claims;
using EspacePro.Data;
using EspacePro.Web.Security;
using Microsoft.Extensions.Options;

namespace EspacePro.Web.Accounts;

/// <summary>
/// The recent-login rule: a change that matters (identifiers, cancelling a pending e-mail
/// change) asks for the current password again when the session's login is older than
/// <c>Security:RecentLogin</c>. Wrong passwords count toward the login throttle, like a login
/// (<see cref="CurrentPassword"/>).
/// </summary>
public sealed class RecentLogin(
    AccountSessions sessions,
    CurrentPassword currentPassword,
    Audit audit,
    TimeProvider time,
    IOptions<RecentLoginOptions> options)
{
    public int WindowMinutes => (int)options.Value.Window.TotalMinutes;

    public async Task<bool> IsStaleAsync(ClaimsPrincipal user)
    {
        var authenticatedAt = await sessions.AuthenticatedAtAsync(user);
        return authenticatedAt is null || time.GetUtcNow() - authenticatedAt > options.Value.Window;
    }

    /// <summary>Checks the current password; null when confirmed, else the French message for the field.</summary>
    public async Task<string?> ConfirmAsync(HttpContext http, ClaimsPrincipal user, Account account, string? password)
    {
        var result = await currentPassword.CheckAsync(http, account, password);
        if (CurrentPassword.MessageFor(result) is { } error)
        {
            await audit.RecordNowAsync(result == CurrentPasswordResult.Throttled ? "reauth.throttled" : "reauth.failed", account.Id);
            return error;
        }
        await sessions.MarkReauthenticatedAsync(AccountSessions.GetSessionId(user)!.Value);
        await audit.RecordNowAsync("reauth.succeeded", account.Id);
        return null;
    }
}
