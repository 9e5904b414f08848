namespace EspacePro.Web.Passwords;

/// <summary>
/// What the service knows about the account holder: a password built from it is easy to guess
/// for anyone who knows the person (docs/security.md R2). Every field may be missing, e.g. at creation.
/// </summary>
public sealed record PasswordContext(string? Email, string? FirstName, string? LastName, string? SubscriberNumber)
{
    public static PasswordContext Empty { get; } = new(null, null, null, null);
}
