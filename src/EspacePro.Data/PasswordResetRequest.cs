namespace EspacePro.Data;

/// <summary>
/// A « Mot de passe oublié » request: the e-mailed link proves the mailbox, then the trust
/// answer is asked, then a new password. Only the link token's hash is stored.
/// </summary>
public sealed class PasswordResetRequest
{
    public Guid Id { get; set; }
    public Guid AccountId { get; set; }
    public string TokenHash { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? AnswerVerifiedAt { get; set; }
    public int FailedAnswers { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
    public DateTimeOffset? VoidedAt { get; set; }
}
