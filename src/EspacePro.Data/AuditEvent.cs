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
}
