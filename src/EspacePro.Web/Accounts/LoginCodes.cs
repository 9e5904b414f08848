using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EspacePro.Data;
using EspacePro.Web.Common;
using EspacePro.Web.Mail;
using EspacePro.Web.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EspacePro.Web.Accounts;

/// <summary>Where a browser is between the password and the code: the row it waits on, and where to go after.</summary>
public sealed record PendingLogin(Guid LoginCodeId, string? ReturnUrl);

/// <summary>What became of a typed code.</summary>
public enum LoginCodeCheck
{
    /// <summary>Right, and this request is the one that used it.</summary>
    Accepted,
    /// <summary>Wrong; tries remain on this code.</summary>
    Wrong,
    /// <summary>Wrong, and it was the last try: the code is void.</summary>
    WrongAndVoided,
    /// <summary>No code can be typed any more: used, voided, expired, or the login ended.</summary>
    Stale,
}

/// <summary>
/// The « code de sécurité » of a login from a browser the space does not recognise: 6 digits
/// from a CSPRNG, mailed to the login address, stored as an HMAC under a random per-row salt,
/// single use, valid <see cref="LoginCodeOptions.LoginCodeLifetime"/>. A code allows
/// <see cref="MaxAttempts"/> tries; a new one (at most <see cref="MaxResends"/> while the login
/// waits) replaces it. The browser holds only the row's id, in a protected cookie that lives
/// as long as the login may wait; nobody is logged in until the code is right.
/// </summary>
public sealed class LoginCodes(
    EspaceProDbContext db,
    Mailer mailer,
    Audit audit,
    TimeProvider time,
    IOptions<LoginCodeOptions> options,
    IDataProtectionProvider protection,
    IHostEnvironment environment)
{
    public const int Digits = 6;
    public const int MaxAttempts = 5;
    public const int MaxResends = 3;

    /// <summary>How long a login may wait for its code, and the window of <see cref="MaxResends"/>.</summary>
    public static readonly TimeSpan PendingLifetime = TimeSpan.FromMinutes(15);

    private readonly ProtectedStateCookie<PendingLogin> _cookie =
        new(protection, environment, "EspacePro.LoginCode", "EspacePro.LoginCode.v1", PendingLifetime);

    public bool Enabled => options.Value.LoginCode.Enabled;

    public TimeSpan Lifetime => options.Value.LoginCodeLifetime;

    /// <summary>
    /// After a right password from an unrecognised browser: a new pending login and its first
    /// code, mailed to <paramref name="account"/>'s login address. Added to the unit of work
    /// (the caller saves); this browser gets the cookie naming it.
    /// </summary>
    public void Start(HttpContext http, Account account, string? returnUrl)
    {
        var now = time.GetUtcNow();
        var code = NewCode();
        var salt = RandomNumberGenerator.GetBytes(16);
        var row = new LoginCode
        {
            Id = Guid.NewGuid(),
            AccountId = account.Id,
            Salt = salt,
            CodeHash = Hash(salt, code),
            CreatedAt = now,
            SentAt = now,
            ExpiresAt = now + Lifetime,
        };
        db.LoginCodes.Add(row);
        Mail(http, account.Email!, code, now);
        audit.Record("login.code.sent", account.Id, new { resend = false });
        _cookie.Write(http, new PendingLogin(row.Id, returnUrl));
    }

    /// <summary>The login this browser waits on, if it still may: not used, and within its window.</summary>
    public async Task<(PendingLogin State, LoginCode Row)?> FindPendingAsync(HttpContext http)
    {
        if (_cookie.Read(http) is not { } state)
        {
            return null;
        }
        var since = time.GetUtcNow() - PendingLifetime;
        var row = await db.LoginCodes.AsNoTracking()
            .FirstOrDefaultAsync(c => c.Id == state.LoginCodeId && c.UsedAt == null && c.CreatedAt > since);
        return row is null ? null : (state, row);
    }

    /// <summary>
    /// Checks a typed code. The try is counted before the code is compared, in one statement
    /// that only counts while tries remain, so parallel requests cannot spend more than
    /// <see cref="MaxAttempts"/>; the right code is then claimed in another, so only one request
    /// logs in with it. Well-formedness is the caller's: a malformed entry costs no try.
    /// </summary>
    public async Task<LoginCodeCheck> CheckAsync(Guid id, string code)
    {
        var now = time.GetUtcNow();
        var counted = await db.LoginCodes
            .Where(c => c.Id == id && c.UsedAt == null && c.VoidedAt == null && c.ExpiresAt > now && c.FailedAttempts < MaxAttempts)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.FailedAttempts, c => c.FailedAttempts + 1));
        if (counted == 0)
        {
            return LoginCodeCheck.Stale;
        }
        var row = await db.LoginCodes.AsNoTracking().FirstAsync(c => c.Id == id);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(row.Salt, code)), Encoding.ASCII.GetBytes(row.CodeHash)))
        {
            // The last allowed try voids the code.
            var voided = await db.LoginCodes
                .Where(c => c.Id == id && c.VoidedAt == null && c.UsedAt == null && c.FailedAttempts >= MaxAttempts)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.VoidedAt, now));
            return voided == 1 ? LoginCodeCheck.WrongAndVoided : LoginCodeCheck.Wrong;
        }
        // The hash compared is the one read after the count: a code replaced meanwhile is
        // refused here, since the claim names that very hash.
        var hash = row.CodeHash;
        var claimed = await db.LoginCodes
            .Where(c => c.Id == id && c.UsedAt == null && c.VoidedAt == null && c.ExpiresAt > now && c.CodeHash == hash)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.UsedAt, now));
        return claimed == 1 ? LoginCodeCheck.Accepted : LoginCodeCheck.Stale;
    }

    /// <summary>
    /// « Recevoir un nouveau code »: a new code replaces the old one (which can no longer be
    /// typed) with a fresh set of tries, at most <see cref="MaxResends"/> times while the login
    /// waits. A void code (too many wrong tries, or the password changed) is never replaced:
    /// that login is over. Counted in the same statement that replaces the code, so parallel requests cannot
    /// send more. False when refused; otherwise the mail is in the unit of work (the caller saves).
    /// </summary>
    public async Task<bool> ResendAsync(HttpContext http, Guid id)
    {
        var now = time.GetUtcNow();
        var since = now - PendingLifetime;
        var code = NewCode();
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Hash(salt, code);
        var expires = now + Lifetime;
        var replaced = await db.LoginCodes
            .Where(c => c.Id == id && c.UsedAt == null && c.VoidedAt == null && c.FailedAttempts < MaxAttempts && c.CreatedAt > since && c.Resends < MaxResends)
            .ExecuteUpdateAsync(s => s
                .SetProperty(c => c.CodeHash, hash)
                .SetProperty(c => c.Salt, salt)
                .SetProperty(c => c.SentAt, now)
                .SetProperty(c => c.ExpiresAt, expires)
                .SetProperty(c => c.FailedAttempts, 0)
                .SetProperty(c => c.Resends, c => c.Resends + 1));
        if (replaced == 0)
        {
            return false;
        }
        var accountId = await db.LoginCodes.Where(c => c.Id == id).Select(c => c.AccountId).FirstAsync();
        var email = await db.Users.Where(a => a.Id == accountId).Select(a => a.Email).FirstAsync();
        Mail(http, email!, code, now);
        audit.Record("login.code.sent", accountId, new { resend = true });
        return true;
    }

    public void Forget(HttpContext http) => _cookie.Clear(http);

    /// <summary>Exactly six ASCII digits, spaces around them forgiven.</summary>
    public static bool IsWellFormed(string? code) => code is { Length: Digits } && code.All(char.IsAsciiDigit);

    private void Mail(HttpContext http, string to, string code, DateTimeOffset now) =>
        mailer.Enqueue(new LoginCodeEmail(to, code, now, UserAgentSummary.Of(http) ?? UserAgentSummary.UnknownBrowser,
            (int)Math.Round(Lifetime.TotalMinutes)));

    private static string NewCode() =>
        RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);

    private static string Hash(byte[] salt, string code) =>
        Convert.ToHexString(HMACSHA256.HashData(salt, Encoding.ASCII.GetBytes(code)));
}
