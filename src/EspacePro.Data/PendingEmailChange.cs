namespace EspacePro.Data;

/// <summary>
/// A requested login e-mail (changed or, for a new space, the first one), waiting for its
/// activation code. Only the code's hash is kept; the row is used, voided or expires.
/// </summary>
public sealed class PendingEmailChange
{
    public Guid Id { get; set; }
    public Guid AccountId { get; set; }
    public string NewEmail { get; set; } = "";
    public string NormalizedNewEmail { get; set; } = "";
    public string CodeHash { get; set; } = "";
    /// <summary>Hash of the single-use token of the cancel link sent to the old address.</summary>
    public string? CancelTokenHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public int FailedAttempts { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
    public DateTimeOffset? VoidedAt { get; set; }
    /// <summary>Why it was voided: "replaced", "cancelled", "attempts", "reset".</summary>
    public string? VoidReason { get; set; }
}
