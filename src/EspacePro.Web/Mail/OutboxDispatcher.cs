using EspacePro.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EspacePro.Web.Mail;

/// <summary>
/// Delivers the outbox. Every node runs one; a row is sent by the node whose conditional UPDATE
/// took its lease (Mail:Lease), so several nodes never send it at the same time. A failure is
/// retried with exponential backoff up to Mail:MaxAttempts. Rows are durable, so a restart
/// loses nothing, and a node killed mid-batch leaves its unsent rows to the others once its
/// lease has run out. Delivery is at least once, not exactly once: a node that dies after the
/// relay accepted a mail but before it recorded the send leaves that one mail (a node sends one
/// at a time) to be sent again, with the same Message-Id (<see cref="MimeMessages.Build"/>).
/// Timestamps come from the injected <see cref="TimeProvider"/>; the polling cadence is real
/// time, so the loop also runs under a test's fake clock.
/// </summary>
public sealed class OutboxDispatcher(
    IServiceScopeFactory scopes,
    IMailDelivery delivery,
    TimeProvider time,
    IOptions<MailOptions> options,
    MailSignal signal,
    ILogger<OutboxDispatcher> logger,
    Observability.ServiceMetrics metrics) : BackgroundService
{

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
        var lease = options.Value.Lease;
        // Never start a send on a lease that could run out mid-send (one SMTP timeout).
        var sendMargin = options.Value.SendTimeout * 1.2;
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

        if (due.Count == 0)
        {
            return 0;
        }
        // One statement claims the whole batch. The lease end is unique to this call (random
        // microseconds), so that the rows this node won are exactly those carrying it, even if
        // another node claimed part of the same batch at the same moment.
        var leaseEnd = TruncateToMicroseconds(now + lease)
            + TimeSpan.FromMicroseconds(System.Security.Cryptography.RandomNumberGenerator.GetInt32(1, 1_000_000));
        await db.Outbox
            .Where(m => due.Contains(m.Id) && m.SentAt == null && m.Attempts < maxAttempts && m.NextAttemptAt <= now
                        && (m.LockedUntil == null || m.LockedUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LockedUntil, leaseEnd), cancellationToken);
        var claimed = await db.Outbox.AsNoTracking()
            .Where(m => due.Contains(m.Id) && m.LockedUntil == leaseEnd)
            .OrderBy(m => m.NextAttemptAt)
            .ToListAsync(cancellationToken);

        var sent = 0;
        foreach (var row in claimed)
        {
            if (time.GetUtcNow() > leaseEnd - sendMargin)
            {
                // The rest of the batch goes back at once, for the next pass here or on another node.
                await db.Outbox.Where(m => due.Contains(m.Id) && m.LockedUntil == leaseEnd && m.SentAt == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.LockedUntil, (DateTimeOffset?)null), CancellationToken.None);
                break;
            }
            if (await SendClaimedAsync(db, row, maxAttempts, cancellationToken))
            {
                sent++;
            }
        }
        return sent;
    }

    private static DateTimeOffset TruncateToMicroseconds(DateTimeOffset value) =>
        new(value.UtcTicks - value.UtcTicks % 10, TimeSpan.Zero);

    private async Task<bool> SendClaimedAsync(EspaceProDbContext db, OutboxMessage row, int maxAttempts, CancellationToken cancellationToken)
    {
        var id = row.Id;
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
        metrics.MailSent(row.Kind);
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
            metrics.MailGivenUp();
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
        // An SMTP refusal names its code: « 421 » (try later) and « 550 » (refused) call for
        // different actions, and a relay's text may be empty.
        var code = error is MailKit.Net.Smtp.SmtpCommandException command ? $" {(int)command.StatusCode}" : "";
        var text = (error.GetType().Name + code + ": " + error.Message).ReplaceLineEndings(" ");
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
