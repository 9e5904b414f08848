namespace EspacePro.Data;

/// <summary>
/// A login waiting for its « code de sécurité »: the password was right, but the browser is not
/// one the space recognises. Only a salted hash of the current 6-digit code is kept; a new code
/// replaces it (and so voids the old one). The browser holds nothing but this row's id, in a
/// short-lived protected cookie: the row decides, on whichever node the code is typed.
/// </summary>
public sealed class LoginCode
{
    public Guid Id { get; set; }
    public Guid AccountId { get; set; }
    /// <summary>HMAC-SHA256 of the code under <see cref="Salt"/>, hex.</summary>
    public string CodeHash { get; set; } = "";
    public byte[] Salt { get; set; } = [];
    /// <summary>When the login was started (the password step); the pending login ends a while after.</summary>
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>When the current code was sent.</summary>
    public DateTimeOffset SentAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    /// <summary>Tries spent on the current code, counted before each is compared.</summary>
    public int FailedAttempts { get; set; }
    /// <summary>New codes sent on request (« Recevoir un nouveau code »).</summary>
    public int Resends { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
    public DateTimeOffset? VoidedAt { get; set; }
}
