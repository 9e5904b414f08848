using System.Security.Cryptography;
using System.Text.Json;
using EspacePro.Data;
using EspacePro.Web.Common;
using EspacePro.Web.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EspacePro.Web.Accounts;

/// <summary>
/// Device cookies (OWASP « Slow Down Online Guessing Attacks with Device Cookies »): a browser
/// where a space was opened holds an encrypted, signed cookie naming a <see cref="TrustedDevice"/>
/// row of that space. Password guesses from that browser are throttled on the device's own key
/// only, so an attacker's failures, even from the same address, never keep its owner out. The
/// row decides, not the cookie: a password change, a reset, an e-mail activation or « Oublier
/// cet appareil » revokes it. One browser may be recognised by a few spaces (an accountant's).
/// </summary>
public sealed class TrustedDevices(
    EspaceProDbContext db, IDataProtectionProvider protection, IHostEnvironment environment,
    TimeProvider time, IOptions<TrustedDeviceOptions> options)
{
    /// <summary>Spaces one browser cookie remembers; the oldest goes first.</summary>
    public const int AccountsPerBrowser = 10;

    private readonly IDataProtector _protector = protection.CreateProtector("EspacePro.TrustedDevice.v1");
    private readonly string _cookieName = CookieSecurity.Name(environment, "EspacePro.Device");

    private sealed record Entry(Guid AccountId, Guid DeviceId);

    /// <summary>The live device this browser holds for <paramref name="accountId"/>, if any.</summary>
    public async Task<Guid?> RecognizeAsync(HttpContext http, Guid accountId)
    {
        if (Read(http).FirstOrDefault(e => e.AccountId == accountId) is not { } entry)
        {
            return null;
        }
        var now = time.GetUtcNow();
        var live = await db.TrustedDevices.AnyAsync(d =>
            d.Id == entry.DeviceId && d.AccountId == accountId && d.RevokedAt == null && d.ExpiresAt > now);
        return live ? entry.DeviceId : null;
    }

    /// <summary>
    /// After a successful login: a recognised device is marked used; otherwise a new one is added
    /// to the unit of work (the caller saves) and this browser gets its cookie.
    /// </summary>
    public async Task TrustAsync(HttpContext http, Account account, Guid? recognised)
    {
        var now = time.GetUtcNow();
        if (recognised is { } id)
        {
            await db.TrustedDevices.Where(d => d.Id == id).ExecuteUpdateAsync(s => s.SetProperty(d => d.LastUsedAt, now));
            return;
        }
        var device = new TrustedDevice
        {
            Id = Guid.NewGuid(),
            AccountId = account.Id,
            CreatedAt = now,
            LastUsedAt = now,
            ExpiresAt = now + options.Value.TrustedDeviceLifetime,
            UserAgent = UserAgentSummary.Of(http) ?? "navigateur inconnu",
        };
        db.TrustedDevices.Add(device);
        var entries = Read(http).Where(e => e.AccountId != account.Id).Prepend(new Entry(account.Id, device.Id))
            .Take(AccountsPerBrowser).ToList();
        Write(http, entries);
    }

    /// <summary>« Oublier cet appareil »: revokes this browser's device for the space and drops it from the cookie.</summary>
    public async Task ForgetThisBrowserAsync(HttpContext http, Guid accountId)
    {
        var entries = Read(http);
        if (entries.FirstOrDefault(e => e.AccountId == accountId) is not { } entry)
        {
            return;
        }
        await db.TrustedDevices.Where(d => d.Id == entry.DeviceId && d.AccountId == accountId && d.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.RevokedAt, time.GetUtcNow()));
        var rest = entries.Where(e => e.AccountId != accountId).ToList();
        if (rest.Count == 0)
        {
            http.Response.Cookies.Delete(_cookieName, CookieOptions(http, null));
        }
        else
        {
            Write(http, rest);
        }
    }

    /// <summary>The space's recognised browsers, most recently used first.</summary>
    public async Task<IReadOnlyList<TrustedDevice>> ListLiveAsync(Guid accountId, int max)
    {
        var now = time.GetUtcNow();
        return await db.TrustedDevices.AsNoTracking()
            .Where(d => d.AccountId == accountId && d.RevokedAt == null && d.ExpiresAt > now)
            .OrderByDescending(d => d.LastUsedAt)
            .Take(max)
            .ToListAsync();
    }

    /// <summary>
    /// « Oublier cet appareil » for one device of the space, from any of its browsers; false when
    /// it was not a live device of that space. This browser's own entry leaves its cookie too.
    /// </summary>
    public async Task<bool> ForgetAsync(HttpContext http, Guid accountId, Guid deviceId)
    {
        var revoked = await db.TrustedDevices.Where(d => d.Id == deviceId && d.AccountId == accountId && d.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.RevokedAt, time.GetUtcNow()));
        if (Read(http).Any(e => e.AccountId == accountId && e.DeviceId == deviceId))
        {
            await ForgetThisBrowserAsync(http, accountId);
        }
        return revoked == 1;
    }

    /// <summary>
    /// Every device of the space stops being recognised (password change, reset, e-mail
    /// activation), and so does every browser still waiting to become one: a login waiting for
    /// its « code de sécurité » was started with the credentials just replaced.
    /// </summary>
    public async Task RevokeAllAsync(Guid accountId)
    {
        var now = time.GetUtcNow();
        await db.TrustedDevices.Where(d => d.AccountId == accountId && d.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.RevokedAt, now));
        await db.LoginCodes.Where(c => c.AccountId == accountId && c.UsedAt == null && c.VoidedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.VoidedAt, now));
    }

    private List<Entry> Read(HttpContext http)
    {
        if (!http.Request.Cookies.TryGetValue(_cookieName, out var value) || string.IsNullOrEmpty(value))
        {
            return [];
        }
        try
        {
            return JsonSerializer.Deserialize<List<Entry>>(_protector.Unprotect(value)) ?? [];
        }
        catch (Exception e) when (e is CryptographicException or JsonException or FormatException)
        {
            // A forged or stale cookie is no cookie.
            return [];
        }
    }

    private void Write(HttpContext http, List<Entry> entries) =>
        http.Response.Cookies.Append(_cookieName, _protector.Protect(JsonSerializer.Serialize(entries)),
            CookieOptions(http, options.Value.TrustedDeviceLifetime));

    /// <summary>Max-Age rather than Expires: the browser's clock may be wrong, its count of seconds is not.</summary>
    private CookieOptions CookieOptions(HttpContext http, TimeSpan? maxAge) => new()
    {
        HttpOnly = true,
        Secure = !environment.IsDevelopment() || http.Request.IsHttps,
        SameSite = SameSiteMode.Strict,
        Path = "/",
        IsEssential = true,
        MaxAge = maxAge,
    };
}
