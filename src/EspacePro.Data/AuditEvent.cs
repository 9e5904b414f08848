namespace EspacePro.Data;

/// <summary>One security-relevant action. Never holds a password, answer, code or token.</summary>
public sealed class AuditEvent
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public Guid? AccountId { get; set; }
    public string Type { get; set; } = "";
    public string? ClientAddress { get; set; }
    public string? Details { get; set; }
    /// <summary>
    /// The browser and system the request came from (« Firefox sous Windows »), read from its
    /// User-Agent when the event is written. Only this summary is kept, not the header: it is
    /// all the space's activity page shows, and the full header is closer to a fingerprint.
    /// </summary>
    public string? Device { get; set; }
}
