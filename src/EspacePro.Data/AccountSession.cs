namespace EspacePro.Data;

/// <summary>
/// A server-side record of one signed-in browser. The auth cookie only carries its id, so a
/// session can be closed from the server (logout, password change, activation) on every node.
/// </summary>
public sealed class AccountSession
{
    public Guid Id { get; set; }
    public Guid AccountId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>When the holder last proved the password in this session (recent-login rule).</summary>
    public DateTimeOffset AuthenticatedAt { get; set; }
    public DateTimeOffset LastSeenAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    /// <summary>The browser and system that opened it (« Chrome sous Android »), as on <see cref="AuditEvent.Device"/>.</summary>
    public string? Device { get; set; }
}
