using System.Security.Claims;
using EspacePro.Data;
using EspacePro.Web.Passwords;
using EspacePro.Web.Security;
using Microsoft.Extensions.Options;

namespace EspacePro.Web.Accounts;

/// <summary>
/// The recent-login rule: a change that matters (identifiers, cancelling a pending e-mail
/// change) asks for the current password again when the session's login is older than
/// <c>Security:RecentLogin</c>. Wrong passwords count toward the login throttle, like a login.
/// </summary>
public sealed class RecentLogin(
    AccountSessions sessions,
    PasswordHashing hashing,
    LoginThrottler throttler,
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
        var key = LoginThrottler.AccountKey(account.NormalizedEmail!);
        var addressKey = LoginThrottler.AddressKey(Audit.ClientAddress(http));
        var blocked = await throttler.IsBlockedAsync(key, addressKey);
        var ok = !blocked && !string.IsNullOrEmpty(password)
            && PasswordText.IsWithinMaximum(password)
            && await hashing.MatchesAsync(account.PasswordHash, password, http.RequestAborted);
        if (!ok)
        {
            if (!blocked && !string.IsNullOrEmpty(password))
            {
                await throttler.RecordFailureAsync(key, addressKey);
            }
            await audit.RecordNowAsync(blocked ? "reauth.throttled" : "reauth.failed", account.Id);
            return blocked
                ? "Trop de tentatives incorrectes : patientez quelques minutes avant de réessayer."
                : string.IsNullOrEmpty(password)
                    ? "Saisissez votre mot de passe actuel."
                    : "Le mot de passe saisi n'est pas votre mot de passe actuel.";
        }
        await sessions.MarkReauthenticatedAsync(AccountSessions.GetSessionId(user)!.Value);
        await throttler.RecordSuccessAsync(key);
        await audit.RecordNowAsync("reauth.succeeded", account.Id);
        return null;
    }
}
