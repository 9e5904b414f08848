namespace EspacePro.Data;

/// <summary>A previous password hash, to refuse the last five passwords again.</summary>
public sealed class PasswordHistoryEntry
{
    public long Id { get; set; }
    public Guid AccountId { get; set; }
    public string PasswordHash { get; set; } = "";
    public DateTimeOffset ChangedAt { get; set; }
}
