using System.Security.Cryptography;
using System.Text;
using EspacePro.Data;
using EspacePro.Web.Common;
using Microsoft.EntityFrameworkCore;

namespace EspacePro.Web.Accounts;

/// <summary>
/// Throttles password guesses (SECURITY.md §2): per login e-mail (whether or not a space has it,
/// so throttling reveals nothing) and, separately, per client address. After a free allowance
/// each new failure blocks the key for a growing delay, capped, and a quiet hour forgives
/// everything: an attacker can slow a user down, never lock them out for good.
/// </summary>
public sealed class LoginThrottler(EspaceProDbContext db, TimeProvider time)
{
    public const int AccountAllowance = 5;
    public const int AddressAllowance = 30;
    public static readonly TimeSpan MaximumDelay = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan ForgetAfter = TimeSpan.FromHours(1);

    public static string AccountKey(string normalizedEmail) =>
        "e:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(normalizedEmail)))[..40];

    public static string AddressKey(string? clientAddress) => "ip:" + (clientAddress ?? "unknown");

    public async Task<bool> IsBlockedAsync(string accountKey, string addressKey) => (await StateAsync(accountKey, addressKey)).Blocked;

    /// <summary>Whether either key is blocked now, and which keys have failures on record.</summary>
    public async Task<(bool Blocked, IReadOnlySet<string> Recorded)> StateAsync(string accountKey, string addressKey)
    {
        var now = time.GetUtcNow();
        var blocked = false;
        var recorded = new HashSet<string>(2, StringComparer.Ordinal);
        await foreach (var row in StateQuery.For(db)(db, accountKey, addressKey))
        {
            blocked |= row.BlockedUntil > now;
            recorded.Add(row.Key);
        }
        return (blocked, recorded);
    }

    /// <summary>Every login reads it: two primary-key lookups, compiled once.</summary>
    private static readonly CompiledPerModel<Func<EspaceProDbContext, string, string, IAsyncEnumerable<KeyState>>> StateQuery = new(() =>
        EF.CompileAsyncQuery((EspaceProDbContext db, string accountKey, string addressKey) =>
            db.LoginThrottles.AsNoTracking()
                .Where(t => t.Key == accountKey || t.Key == addressKey)
                .Select(t => new KeyState(t.Key, t.BlockedUntil))));

    private sealed record KeyState(string Key, DateTimeOffset? BlockedUntil);

    public async Task RecordFailureAsync(string accountKey, string addressKey)
    {
        await BumpAsync(accountKey, AccountAllowance);
        await BumpAsync(addressKey, AddressAllowance);
    }

    public Task RecordSuccessAsync(string accountKey) =>
        db.LoginThrottles.Where(t => t.Key == accountKey).ExecuteDeleteAsync();

    /// <summary>The delay imposed after <paramref name="failures"/> failures: 1, 2, 4, 8 then 15 minutes.</summary>
    public static TimeSpan DelayAfter(int failures, int allowance) =>
        failures < allowance
            ? TimeSpan.Zero
            : TimeSpan.FromMinutes(Math.Min(Math.Pow(2, Math.Min(failures - allowance, 10)), MaximumDelay.TotalMinutes));

    private async Task BumpAsync(string key, int allowance)
    {
        var now = time.GetUtcNow();
        for (var attempt = 0; ; attempt++)
        {
            var row = await db.LoginThrottles.FirstOrDefaultAsync(t => t.Key == key);
            if (row is null)
            {
                row = new LoginThrottle { Key = key };
                db.LoginThrottles.Add(row);
            }
            else if (now - row.LastFailureAt > ForgetAfter)
            {
                row.Failures = 0;
            }
            row.Failures++;
            row.LastFailureAt = now;
            var delay = DelayAfter(row.Failures, allowance);
            row.BlockedUntil = delay > TimeSpan.Zero ? now + delay : null;
            try
            {
                await db.SaveChangesAsync();
                return;
            }
            catch (DbUpdateException) when (attempt < 2)
            {
                // Another request created or changed the row first: start again from its value.
                db.ChangeTracker.Clear();
            }
        }
    }
}
