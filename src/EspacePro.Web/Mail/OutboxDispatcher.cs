using EspacePro.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EspacePro.Web.Mail;

/// <summary>
/// Delivers the outbox. Every node runs one; a row is sent by the node whose conditional UPDATE
/// took its lease, so several nodes never send it twice. A failure is retried with exponential
/// backoff up to Mail:MaxAttempts. Rows are durable, so a restart loses nothing.
/// Timestamps come from the injected <see cref="TimeProvider"/>; the polling cadence is real
/// time, so the loop also runs under a test's fake clock.
/// </summary>
public sealed class OutboxDispatcher(
    IServiceScopeFactory scopes,
    IMailDelivery delivery,
    TimeProvider time,
    IOptions<MailOptions> options,
    MailSignal signal,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    /// <summary>How long a node owns a row it is sending; longer than the SMTP timeout.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    public static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromHours(1);

    private const int BatchSize = 50;
    private const int MaxErrorLength = 1000;

    /// <summary>30 s after the first failure, then 1 min, 2 min, 4 min… at most an hour.</summary>
    public static TimeSpan RetryDelay(int failedAttempts)
    {
        var exponent = Math.Clamp(failedAttempts - 1, 0, 20);
        var delay = FirstRetryDelay * Math.Pow(2, exponent);
        return delay < MaxRetryDelay ? delay : MaxRetryDelay;
    }

    /// <summary>Sends what is due now; returns how many mails this call delivered.</summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken)
    {
        var maxAttempts = options.Value.MaxAttempts;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EspaceProDbContext>();

        var now = time.GetUtcNow();
        var due = await db.Outbox.AsNoTracking()
            .Where(m => m.SentAt == null && m.Attempts < maxAttempts && m.NextAttemptAt <= now
                        && (m.LockedUntil == null || m.LockedUntil < now))
            .OrderBy(m => m.NextAttemptAt)
            .Select(m => m.Id)
            .Take(BatchSize)
            .ToListAsync(cancellationToken);

        var sent = 0;
        foreach (var id in due)
        {
            if (await TrySendAsync(db, id, maxAttempts, cancellationToken))
            {
                sent++;
            }
        }
        return sent;
    }

    private async Task<bool> TrySendAsync(EspaceProDbContext db, Guid id, int maxAttempts, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var leaseEnd = now + Lease;
        // The claim: only one UPDATE can match while the lease is free.
        var claimed = await db.Outbox
            .Where(m => m.Id == id && m.SentAt == null && m.Attempts < maxAttempts && m.NextAttemptAt <= now
                        && (m.LockedUntil == null || m.LockedUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LockedUntil, leaseEnd), cancellationToken);
        if (claimed == 0)
        {
            return false;
        }

        var row = await db.Outbox.AsNoTracking().SingleAsync(m => m.Id == id, cancellationToken);
        var secret = Email.IsSecretKind(row.Kind);
        var attempt = row.Attempts + 1;
        try
        {
            await delivery.SendAsync(new OutgoingMail(row.Id, row.Kind, row.To, row.Subject, row.TextBody, row.HtmlBody), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: free the row for the next node or the next start, attempt not counted.
            await db.Outbox.Where(m => m.Id == id)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.LockedUntil, (DateTimeOffset?)null), CancellationToken.None);
            throw;
        }
        catch (Exception error)
        {
            await RecordFailureAsync(db, row, attempt, maxAttempts, secret, error);
            return false;
        }

        // Marked right after the send, so a row is not sent twice in normal operation.
        var sentAt = time.GetUtcNow();
        await db.Outbox.Where(m => m.Id == id).ExecuteUpdateAsync(s =>
        {
            s.SetProperty(m => m.SentAt, sentAt);
            s.SetProperty(m => m.Attempts, attempt);
            s.SetProperty(m => m.LockedUntil, (DateTimeOffset?)null);
            s.SetProperty(m => m.LastError, (string?)null);
            if (secret)
            {
                // The code or link has gone out; it does not linger in the database.
                s.SetProperty(m => m.TextBody, "");
                s.SetProperty(m => m.HtmlBody, "");
            }
        }, CancellationToken.None);
        logger.LogInformation("Mail {OutboxId} ({MailKind}) sent at attempt {Attempt}", id, row.Kind, attempt);
        return true;
    }

    private async Task RecordFailureAsync(EspaceProDbContext db, OutboxMessage row, int attempt, int maxAttempts, bool secret, Exception error)
    {
        var failedAt = time.GetUtcNow();
        var nextAttemptAt = failedAt + RetryDelay(attempt);
        var lastError = Describe(error);
        var givingUp = attempt >= maxAttempts;
        await db.Outbox.Where(m => m.Id == row.Id).ExecuteUpdateAsync(s =>
        {
            s.SetProperty(m => m.Attempts, attempt);
            s.SetProperty(m => m.NextAttemptAt, nextAttemptAt);
            s.SetProperty(m => m.LockedUntil, (DateTimeOffset?)null);
            s.SetProperty(m => m.LastError, lastError);
            if (givingUp && secret)
            {
                s.SetProperty(m => m.TextBody, "");
                s.SetProperty(m => m.HtmlBody, "");
            }
        }, CancellationToken.None);
        if (givingUp)
        {
            logger.LogError("Mail {OutboxId} ({MailKind}) abandoned after {Attempts} attempts: {MailError}",
                row.Id, row.Kind, attempt, lastError);
        }
        else
        {
            logger.LogWarning("Mail {OutboxId} ({MailKind}) failed at attempt {Attempt} of {MaxAttempts}, next attempt at {NextAttemptAt:O}: {MailError}",
                row.Id, row.Kind, attempt, maxAttempts, nextAttemptAt, lastError);
        }
    }

    /// <summary>Type and message only: no stack trace, and never the mail's content.</summary>
    private static string Describe(Exception error)
    {
        var text = (error.GetType().Name + ": " + error.Message).ReplaceLineEndings(" ");
        return text.Length <= MaxErrorLength ? text : text[..MaxErrorLength];
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.BackgroundDispatch)
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // A full batch may mean more is waiting.
                while (await DispatchDueAsync(stoppingToken) >= BatchSize)
                {
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                // The database may be briefly unreachable: try again at the next tick.
                logger.LogError("Outbox dispatch failed: {MailError}", Describe(error));
            }
            try
            {
                await signal.WaitAsync(settings.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
