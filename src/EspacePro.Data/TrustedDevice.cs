namespace EspacePro.Data;

/// <summary>
/// A browser where the space was opened: its cookie names this row, and the row decides. A
/// password change, a reset, an e-mail activation or « Oublier cet appareil » revokes it, so
/// the cookie alone never suffices.
/// </summary>
public sealed class TrustedDevice
{
    public Guid Id { get; set; }
    public Guid AccountId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset LastUsedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    /// <summary>Browser and system, as far as the User-Agent tells (e.g. "Firefox, Linux"); never the whole header.</summary>
    public string UserAgent { get; set; } = "";
}
