namespace EspacePro.Data;

/// <summary>One password-expiry reminder sent (30 or 7 days before); unique, so sent once on any number of nodes.</summary>
public sealed class ExpiryReminder
{
    public long Id { get; set; }
    public Guid AccountId { get; set; }
    public DateOnly ValidUntil { get; set; }
    public int DaysBefore { get; set; }
    public DateTimeOffset SentAt { get; set; }
}
