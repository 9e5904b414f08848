using System.Text.Json;
using EspacePro.Data;
using EspacePro.Web.Common;

namespace EspacePro.Web.Security;

/// <summary>
/// Security events (docs/security.md R31): one row per action, written with the change it records,
/// and one structured log line. Callers pass ids and facts, never a secret.
/// </summary>
public sealed class Audit(EspaceProDbContext db, TimeProvider time, IHttpContextAccessor http, ILogger<Audit> logger, Observability.ServiceMetrics metrics)
{
    /// <summary>Adds the event to the unit of work; the caller's SaveChanges writes it.</summary>
    public void Record(string type, Guid? accountId, object? details = null)
    {
        var address = ClientAddress(http.HttpContext);
        var json = details is null ? null : JsonSerializer.Serialize(details);
        db.AuditEvents.Add(new AuditEvent
        {
            At = time.GetUtcNow(),
            AccountId = accountId,
            Type = type,
            ClientAddress = address,
            Details = json,
            Device = UserAgentSummary.Of(http.HttpContext),
        });
        logger.LogInformation("Security event {EventType} account={AccountId} client={ClientAddress} {Details}",
            type, accountId, address, json);
        metrics.SecurityEvent(type);
    }

    public async Task RecordNowAsync(string type, Guid? accountId, object? details = null)
    {
        Record(type, accountId, details);
        await db.SaveChangesAsync();
    }

    public static string? ClientAddress(HttpContext? context) => context?.Connection.RemoteIpAddress?.ToString();
}
