using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EspacePro.Data;
using Microsoft.EntityFrameworkCore;

namespace EspacePro.Web.Accounts;

/// <summary>One counter a guess is counted on, and how many failures it allows before blocking.</summary>
/// <param name="ClearedOnSuccess">
/// A right guess forgets this key's failures (the account's, a device's); an address key is
/// only given back the guess just counted, since other people behind it may be guessing.
/// </param>
public sealed record ThrottleKey(string Value, int Allowance, bool ClearedOnSuccess);

/// <summary>
/// Throttles password guesses (docs/security.md R5, R6): per login e-mail (whether or not a space has it,
/// so throttling reveals nothing) and, separately, per client address; a recognised device has
/// a key of its own instead. After a free allowance each new failure blocks the key for a
/// growing delay, capped, and a quiet hour forgives everything: an attacker can slow a user
/// down, never lock them out for good.
/// <para>
/// Every guess is counted before the secret is checked, in one statement per guess, so that
/// parallel requests cannot spend more tries than allowed: the statement both counts the guess
/// and says whether the key was already blocked, and a blocked guess is never checked.
/// </para>
/// </summary>
public sealed class LoginThrottler(EspaceProDbContext db, TimeProvider time)
{
    public const int AccountAllowance = 5;
    public const int AddressAllowance = 30;
    public const int DeviceAllowance = 5;
    public static readonly TimeSpan MaximumDelay = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan ForgetAfter = TimeSpan.FromHours(1);

    /// <summary>The delays after the allowance: 1, 2, 4, 8 then <see cref="MaximumDelay"/> minutes.</summary>
    private const int DelaySteps = 5;

    public static string AccountKey(string normalizedEmail) =>
        "e:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(normalizedEmail)))[..40];

    public static string AddressKey(string? clientAddress) => "ip:" + (clientAddress ?? "unknown");

    public static string DeviceKey(Guid deviceId) => "d:" + deviceId.ToString("N");

    /// <summary>The keys of a guess from a client the space does not recognise: its login e-mail and its address.</summary>
    public static IReadOnlyList<ThrottleKey> Anonymous(string normalizedEmail, string? clientAddress) =>
    [
        new(AccountKey(normalizedEmail), AccountAllowance, ClearedOnSuccess: true),
        new(AddressKey(clientAddress), AddressAllowance, ClearedOnSuccess: false),
    ];

    /// <summary>
    /// The key of a guess from a device the space recognises: only its own, so that failures
    /// caused by others (on the account, from the same address) never keep it out.
    /// </summary>
    public static IReadOnlyList<ThrottleKey> Device(Guid deviceId) =>
        [new(DeviceKey(deviceId), DeviceAllowance, ClearedOnSuccess: true)];

    /// <summary>The delay imposed after <paramref name="failures"/> failures: 1, 2, 4, 8 then 15 minutes.</summary>
    public static TimeSpan DelayAfter(int failures, int allowance) =>
        failures < allowance
            ? TimeSpan.Zero
            : TimeSpan.FromMinutes(Math.Min(Math.Pow(2, Math.Min(failures - allowance, 10)), MaximumDelay.TotalMinutes));

    /// <summary>
    /// Counts one guess on every key and tells whether it may be checked: false when any key
    /// was blocked, and then the caller must refuse without looking at the secret. The guess is
    /// counted as a failure until <see cref="SucceededAsync"/> says otherwise.
    /// </summary>
    public async Task<bool> TryCountGuessAsync(IReadOnlyList<ThrottleKey> keys)
    {
        var now = time.GetUtcNow();
        var (sql, parameters) = CountStatement(keys, now);
        var rows = await db.Database.SqlQueryRaw<CountedGuess>(sql, parameters).ToListAsync();
        return rows.Count == keys.Count && rows.All(r => !r.LastRefused);
    }

    /// <summary>A right guess: the keys that are cleared on success forget their failures, the others get this guess back.</summary>
    public async Task SucceededAsync(IReadOnlyList<ThrottleKey> keys)
    {
        foreach (var key in keys)
        {
            if (key.ClearedOnSuccess)
            {
                await db.LoginThrottles.Where(t => t.Key == key.Value).ExecuteDeleteAsync();
            }
            else
            {
                await GiveBackAsync(key);
            }
        }
    }

    /// <summary>
    /// A guess that was never checked, because its request went away while it waited for the
    /// hash: every key gets it back. Nothing was learnt from it, and without this a crowd of
    /// people giving up in a queue (a deadline-day peak, a balancer's timeout) would leave
    /// failures on their own accounts and on their shared addresses.
    /// </summary>
    public async Task WithdrawAsync(IReadOnlyList<ThrottleKey> keys)
    {
        foreach (var key in keys)
        {
            await GiveBackAsync(key);
        }
    }

    private Task GiveBackAsync(ThrottleKey key)
    {
        var allowance = key.Allowance;
        return db.LoginThrottles.Where(t => t.Key == key.Value && t.Failures > 0)
            .ExecuteUpdateAsync(s => s
                .SetProperty(t => t.Failures, t => t.Failures - 1)
                .SetProperty(t => t.BlockedUntil, t => t.Failures - 1 < allowance ? null : t.BlockedUntil));
    }

    /// <summary>Forgets every failure of an account key (a password reset proves the owner).</summary>
    public Task ForgetAsync(string key) => db.LoginThrottles.Where(t => t.Key == key).ExecuteDeleteAsync();

    private sealed record CountedGuess(string Key, bool LastRefused);

    /// <summary>
    /// One upsert for all the keys of a guess (SQLite and PostgreSQL both have
    /// <c>INSERT … ON CONFLICT DO UPDATE … RETURNING</c>). The row's <c>LastRefused</c> is
    /// computed from the row as it was before this guess, which RETURNING cannot see otherwise;
    /// both databases apply the upsert to one row at a time, so two guesses never read the same
    /// count.
    /// </summary>
    private (string Sql, object[] Parameters) CountStatement(IReadOnlyList<ThrottleKey> keys, DateTimeOffset now)
    {
        var parameters = new List<object>();
        string Param(object value)
        {
            parameters.Add(value);
            return "{" + (parameters.Count - 1).ToString(CultureInfo.InvariantCulture) + "}";
        }
        var nowParam = Param(ToProvider(now));
        var forgetParam = Param(ToProvider(now - ForgetAfter));
        var blockParams = Enumerable.Range(0, DelaySteps)
            .Select(step => Param(ToProvider(now + DelayAfter(AccountAllowance + step, AccountAllowance))))
            .ToArray();

        var values = new List<string>();
        var allowanceCases = new StringBuilder();
        foreach (var key in keys)
        {
            var keyParam = Param(key.Value);
            // A first failure blocks at once only if the allowance is one.
            var firstBlock = key.Allowance <= 1 ? blockParams[0] : "NULL";
            values.Add($"({keyParam}, 1, {nowParam}, {firstBlock}, FALSE)");
            allowanceCases.Append(CultureInfo.InvariantCulture, $" WHEN {keyParam} THEN {Param(key.Allowance)}");
        }

        const string Row = "\"LoginThrottles\"";
        var blocked = $"({Row}.\"BlockedUntil\" IS NOT NULL AND {Row}.\"BlockedUntil\" > {nowParam} AND {Row}.\"LastFailureAt\" > {forgetParam})";
        var forgotten = $"{Row}.\"LastFailureAt\" <= {forgetParam}";
        var step = $"({Row}.\"Failures\" + 1 - (CASE {Row}.\"Key\"{allowanceCases} END))";
        var delay = new StringBuilder($"CASE WHEN {step} < 0 THEN NULL");
        for (var i = 0; i < DelaySteps - 1; i++)
        {
            delay.Append(CultureInfo.InvariantCulture, $" WHEN {step} = {i} THEN {blockParams[i]}");
        }
        delay.Append(CultureInfo.InvariantCulture, $" ELSE {blockParams[DelaySteps - 1]} END");

        var sql = $"""
            INSERT INTO {Row} ("Key", "Failures", "LastFailureAt", "BlockedUntil", "LastRefused")
            VALUES {string.Join(", ", values)}
            ON CONFLICT ("Key") DO UPDATE SET
                "LastRefused" = {blocked},
                "Failures" = CASE WHEN {forgotten} THEN 1 ELSE {Row}."Failures" + 1 END,
                "BlockedUntil" = CASE WHEN {blocked} THEN {Row}."BlockedUntil" WHEN {forgotten} THEN excluded."BlockedUntil" ELSE {delay} END,
                "LastFailureAt" = {nowParam}
            RETURNING "Key", "LastRefused"
            """;
        return (sql, parameters.ToArray());
    }

    /// <summary>A date as the provider stores it (SQLite keeps ticks, through the model's converter).</summary>
    private object ToProvider(DateTimeOffset value) =>
        db.Model.FindEntityType(typeof(LoginThrottle))!.FindProperty(nameof(LoginThrottle.LastFailureAt))!
            .GetTypeMapping().Converter?.ConvertToProvider(value) ?? value;
}
