namespace EspacePro.Data;

/// <summary>Failure counter for one throttling key (an account or a client address).</summary>
public sealed class LoginThrottle
{
    public string Key { get; set; } = "";
    public int Failures { get; set; }
    public DateTimeOffset LastFailureAt { get; set; }
    public DateTimeOffset? BlockedUntil { get; set; }
}
