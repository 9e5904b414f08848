namespace EspacePro.Data;

/// <summary>
/// An e-mail waiting to be delivered. Written in the same SaveChanges as the change that causes
/// it, so a change never loses its mail and a rolled-back change never sends one.
/// </summary>
public sealed class OutboxMessage
{
    public Guid Id { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>The message type (e.g. "PasswordChanged"), for the audit and the dev mail page.</summary>
    public string Kind { get; set; } = "";
    public string To { get; set; } = "";
    public string Subject { get; set; } = "";
    public string TextBody { get; set; } = "";
    public string HtmlBody { get; set; } = "";
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    /// <summary>Lease taken by the node that is sending it, so two nodes never send it twice.</summary>
    public DateTimeOffset? LockedUntil { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public string? LastError { get; set; }
}
