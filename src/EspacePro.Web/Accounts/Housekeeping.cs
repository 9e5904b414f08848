using EspacePro.Data;
using EspacePro.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EspacePro.Web.Accounts;

/// <summary>
/// Periodic clean-up, safe on several nodes (every statement is an idempotent delete): spaces
/// never activated within the code lifetime are discarded (SPEC §2.8), and expired captchas,
/// finished sessions, forgiven throttles and old sent mail rows go.
/// </summary>
public sealed class Housekeeping(IServiceScopeFactory scopes, IOptions<ActivationOptions> activation, IConfiguration configuration, ILogger<Housekeeping> logger)
    : BackgroundService
{
    public static readonly TimeSpan SentMailRetention = TimeSpan.FromDays(30);

    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EspaceProDbContext>();
        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow();
        var unactivatedBefore = now - activation.Value.CodeLifetime;
        var discarded = await db.Users
            .Where(a => a.ActivatedAt == null && a.CreatedAt < unactivatedBefore)
            .ExecuteDeleteAsync(cancellationToken);
        await db.Captchas.Where(c => c.ExpiresAt < now).ExecuteDeleteAsync(cancellationToken);
        var sessionsBefore = now - AccountSessions.AbsoluteTimeout;
        await db.Sessions.Where(s => s.CreatedAt < sessionsBefore || s.RevokedAt != null && s.RevokedAt < now.AddHours(-1))
            .ExecuteDeleteAsync(cancellationToken);
        var forgiven = now - LoginThrottler.ForgetAfter;
        await db.LoginThrottles.Where(t => t.LastFailureAt < forgiven && (t.BlockedUntil == null || t.BlockedUntil < now))
            .ExecuteDeleteAsync(cancellationToken);
        // A revoked or expired device is never recognised again: its row has no use left.
        await db.TrustedDevices.Where(d => d.ExpiresAt < now || d.RevokedAt != null)
            .ExecuteDeleteAsync(cancellationToken);
        var sentBefore = now - SentMailRetention;
        await db.Outbox.Where(m => m.SentAt != null && m.SentAt < sentBefore).ExecuteDeleteAsync(cancellationToken);
        if (discarded > 0)
        {
            logger.LogInformation("Housekeeping discarded {Count} space(s) never activated", discarded);
        }
        return discarded;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!configuration.GetValue("App:BackgroundHousekeeping", true))
        {
            return;
        }
        var interval = configuration.GetValue("App:HousekeepingInterval", TimeSpan.FromMinutes(10));
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
