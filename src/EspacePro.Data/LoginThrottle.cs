namespace EspacePro.Data;

/// <summary>Guess counter for one throttling key (an account, a client address or a device).</summary>
public sealed class LoginThrottle
{
    public string Key { get; set; } = "";
    /// <summary>Guesses counted since the last success or the last quiet hour, refused ones included.</summary>
    public int Failures { get; set; }
    public DateTimeOffset LastFailureAt { get; set; }
    public DateTimeOffset? BlockedUntil { get; set; }
    /// <summary>Whether the latest guess found the key blocked, and so was refused unchecked.</summary>
    public bool LastRefused { get; set; }
}
