using EspacePro.Data;
using EspacePro.Web.Common;
using EspacePro.Web.Database;
using Microsoft.EntityFrameworkCore;
using EspacePro.Web.Mail;
using Microsoft.Extensions.Options;

namespace EspacePro.Web.Accounts;

/// <summary>
/// Periodic clean-up, safe on several nodes (every statement is an idempotent delete): spaces
/// never activated within the code lifetime are discarded, finished sessions go, and
/// every kind of personal data is deleted once past its period in <see cref="RetentionOptions"/>.
/// </summary>
public sealed class Housekeeping(
    IServiceScopeFactory scopes,
    IOptions<ActivationOptions> activation,
    IOptions<RetentionOptions> retention,
    IOptions<MailOptions> mail,
    IOptions<AppOptions> app,
    ILogger<Housekeeping> logger)
    : BackgroundService
{
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EspaceProDbContext>();
        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow();
        var unactivatedBefore = now - activation.Value.CodeLifetime;
        var discarded = await db.Users
            .Where(a => a.ActivatedAt == null && a.CreatedAt < unactivatedBefore)
            .ExecuteDeleteAsync(cancellationToken);
        var sessionsBefore = now - AccountSessions.AbsoluteTimeout;
        await db.Sessions.Where(s => s.CreatedAt < sessionsBefore || s.RevokedAt != null && s.RevokedAt < now.AddHours(-1))
            .ExecuteDeleteAsync(cancellationToken);
        await PurgeExpiredAsync(db, now, cancellationToken);
        // A revoked or expired device is never recognised again: its row has no use left.
        await db.TrustedDevices.Where(d => d.ExpiresAt < now || d.RevokedAt != null)
            .ExecuteDeleteAsync(cancellationToken);
        // A login waiting for its code ends with its window; after that the row only holds a hash.
        var loginCodesBefore = now - LoginCodes.PendingLifetime;
        await db.LoginCodes.Where(c => c.CreatedAt < loginCodesBefore).ExecuteDeleteAsync(cancellationToken);
        if (discarded > 0)
        {
            logger.LogInformation("Housekeeping discarded {Count} space(s) never activated", discarded);
        }
        return discarded;
    }

    /// <summary>
    /// Deletes, kind by kind, the rows past their retention period, a batch at a time: each
    /// statement removes at most <see cref="RetentionOptions.BatchSize"/> rows, so a backlog
    /// (a first run, a long stop) never holds a table locked for long.
    /// </summary>
    private async Task PurgeExpiredAsync(EspaceProDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var keep = retention.Value;
        var batch = keep.BatchSize;
        var auditBefore = now - keep.AuditEvents;
        var purged = await InBatchesAsync(() => db.AuditEvents.Where(e => e.At < auditBefore)
            .OrderBy(e => e.Id).Take(batch).ExecuteDeleteAsync(cancellationToken), batch, cancellationToken);

        var resetsBefore = now - keep.PasswordResets;
        purged += await InBatchesAsync(() => db.PasswordResets.Where(r => r.CreatedAt < resetsBefore && r.ExpiresAt < now)
            .OrderBy(r => r.Id).Take(batch).ExecuteDeleteAsync(cancellationToken), batch, cancellationToken);

        // Closed: used, voided, or lapsed; a live change is never touched.
        var pendingBefore = now - keep.PendingEmailChanges;
        purged += await InBatchesAsync(() => db.PendingEmailChanges
            .Where(p => p.UsedAt != null ? p.UsedAt < pendingBefore
                : p.VoidedAt != null ? p.VoidedAt < pendingBefore
                : p.ExpiresAt < pendingBefore)
            .OrderBy(p => p.Id).Take(batch).ExecuteDeleteAsync(cancellationToken), batch, cancellationToken);

        // Sent, or given up after the last attempt; a mail still being retried stays.
        var mailBefore = now - keep.SentMail;
        var maxAttempts = mail.Value.MaxAttempts;
        purged += await InBatchesAsync(() => db.Outbox
            .Where(m => m.SentAt != null ? m.SentAt < mailBefore : m.Attempts >= maxAttempts && m.CreatedAt < mailBefore)
            .OrderBy(m => m.Id).Take(batch).ExecuteDeleteAsync(cancellationToken), batch, cancellationToken);

        // A reminder row only stops a second reminder for the same validity date: once that date
        // is past by the period, it has served.
        var remindersBefore = DateOnly.FromDateTime((now - keep.ExpiryReminders).UtcDateTime);
        purged += await InBatchesAsync(() => db.ExpiryReminders.Where(r => r.ValidUntil < remindersBefore)
            .OrderBy(r => r.Id).Take(batch).ExecuteDeleteAsync(cancellationToken), batch, cancellationToken);

        var captchasBefore = now - keep.Captchas;
        purged += await InBatchesAsync(() => db.Captchas.Where(c => c.ExpiresAt < captchasBefore)
            .OrderBy(c => c.Id).Take(batch).ExecuteDeleteAsync(cancellationToken), batch, cancellationToken);

        var throttlesBefore = now - keep.LoginThrottles;
        purged += await InBatchesAsync(() => db.LoginThrottles
            .Where(t => t.LastFailureAt < throttlesBefore && (t.BlockedUntil == null || t.BlockedUntil < now))
            .OrderBy(t => t.Key).Take(batch).ExecuteDeleteAsync(cancellationToken), batch, cancellationToken);
        if (purged > 0)
        {
            logger.LogInformation("Housekeeping deleted {Count} row(s) past their retention period", purged);
        }
    }

    private static async Task<int> InBatchesAsync(Func<Task<int>> deleteBatch, int batch, CancellationToken cancellationToken)
    {
        var total = 0;
        int deleted;
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            deleted = await deleteBatch();
            total += deleted;
        }
        while (deleted == batch);
        return total;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!app.Value.BackgroundHousekeeping)
        {
            return;
        }
        var interval = app.Value.HousekeepingInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // One node at a time: the deletes are idempotent, but nodes running them together
                // would only contend for the same rows.
                await ClusterLocks.TryRunAsync(scopes, ClusterLocks.Housekeeping, RunOnceAsync, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Housekeeping failed; retrying at the next interval");
            }
            try
            {
                await Task.Delay(interval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
