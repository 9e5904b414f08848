using EspacePro.Data;
using EspacePro.Web.Common;
using EspacePro.Web.Database;
using EspacePro.Web.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PasswordOptions = EspacePro.Web.Passwords.PasswordOptions;

namespace EspacePro.Web.Accounts;

/// <summary>
/// The password-expiry warnings (docs/security.md D2): one e-mail 30 days before the end of validity and
/// one 7 days before (Europe/Paris dates), never after expiry. Each is an <see cref="ExpiryReminder"/>
/// row whose unique index (space, validity date, days before) makes it exactly-once on any
/// number of nodes; a new password has a new validity date, so its reminders start over.
/// </summary>
public sealed class ExpiryReminders(
    IServiceScopeFactory scopes,
    TimeProvider time,
    IOptions<PasswordOptions> options,
    ILogger<ExpiryReminders> logger) : BackgroundService
{
    public const int BatchSize = 500;

    /// <summary>The reminders, latest first: (days before, first and last day left it covers).</summary>
    private static readonly (int DaysBefore, int MinDaysLeft, int MaxDaysLeft)[] Windows = [(30, 8, 30), (7, 0, 7)];

    /// <summary>Sends the reminders due now; returns how many this call sent.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var sent = 0;
        foreach (var window in Windows)
        {
            sent += await RunWindowAsync(window.DaysBefore, window.MinDaysLeft, window.MaxDaysLeft, cancellationToken);
        }
        return sent;
    }

    private async Task<int> RunWindowAsync(int daysBefore, int minDaysLeft, int maxDaysLeft, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var today = FrenchFormat.ParisDate(now);
        var (from, to) = (today.AddDays(minDaysLeft), today.AddDays(maxDaysLeft));
        var sent = 0;
        var seen = new HashSet<Guid>();
        while (true)
        {
            // Each pass handles the spaces that have no reminder row yet; every space it returns
            // gets one (sent here or by another node), so the next pass moves on.
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<EspaceProDbContext>();
            var mailer = scope.ServiceProvider.GetRequiredService<Mailer>();
            var batch = await db.Users.AsNoTracking()
                .Where(a => a.ActivatedAt != null && a.Email != null
                            && a.PasswordValidUntil >= from && a.PasswordValidUntil <= to
                            && !db.ExpiryReminders.Any(r => r.AccountId == a.Id && r.ValidUntil == a.PasswordValidUntil && r.DaysBefore == daysBefore))
                .OrderBy(a => a.PasswordValidUntil).ThenBy(a => a.Id)
                .Select(a => new { a.Id, a.Email, a.PasswordValidUntil })
                .Take(BatchSize)
                .ToListAsync(cancellationToken);
            if (batch.Count > 0 && batch.All(a => seen.Contains(a.Id)))
            {
                // Only spaces whose row could not be written (not a duplicate): the next run retries them.
                logger.LogError("Password expiry reminders: {FailedCount} spaces could not be recorded", batch.Count);
                return sent;
            }
            seen.UnionWith(batch.Select(a => a.Id));

            foreach (var account in batch)
            {
                db.ExpiryReminders.Add(new ExpiryReminder
                {
                    AccountId = account.Id,
                    ValidUntil = account.PasswordValidUntil,
                    DaysBefore = daysBefore,
                    SentAt = now,
                });
                try
                {
                    mailer.Enqueue(new PasswordExpiryReminderEmail(account.Email!, account.PasswordValidUntil,
                        PasswordValidity.DaysLeft(account.PasswordValidUntil, now)));
                }
                catch (ArgumentException)
                {
                    // Login e-mails are validated when set; should one be undeliverable, the row
                    // is still written so that the space is not picked again on every pass.
                    logger.LogError("Password expiry reminder not sendable for account {AccountId}: undeliverable address", account.Id);
                }
                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                    sent++;
                }
                catch (DbUpdateException)
                {
                    // Another node wrote this reminder first (unique index): it sends the mail.
                    db.ChangeTracker.Clear();
                }
            }
            if (batch.Count < BatchSize)
            {
                return sent;
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.BackgroundReminders)
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // One node at a time: the unique row already keeps a reminder from going out
                // twice, but two nodes racing for the same rows would each log the other's wins
                // as failed saves.
                var sent = 0;
                await ClusterLocks.TryRunAsync(scopes, ClusterLocks.ExpiryReminders,
                    async cancellationToken => sent = await RunOnceAsync(cancellationToken), stoppingToken);
                if (sent > 0)
                {
                    logger.LogInformation("Password expiry reminders: {ReminderCount} queued", sent);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                // The database may be briefly unreachable: try again at the next tick.
                logger.LogError("Password expiry reminders failed: {ReminderError}", error.GetType().Name + ": " + error.Message.ReplaceLineEndings(" "));
            }
            try
            {
                // Real time, not the injected clock: under a test's fake clock the loop still paces itself.
                await Task.Delay(settings.ReminderInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}

public static class ExpiryRemindersExtensions
{
    public static IServiceCollection AddExpiryReminders(this IServiceCollection services)
    {
        services.AddSingleton<ExpiryReminders>();
        services.AddHostedService(sp => sp.GetRequiredService<ExpiryReminders>());
        return services;
    }
}
