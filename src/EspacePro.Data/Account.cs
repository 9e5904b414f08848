using Microsoft.AspNetCore.Identity;

namespace EspacePro.Data;

/// <summary>
/// An espace professionnel: one login, the person who holds it and their company files.
/// Naming: the code calls it an account (<c>Account</c>, <c>accountId</c>, <c>AccountMode</c>) and the
/// French pages call it « espace »; "space" stays only in comments that speak the user's words and in
/// names already stored (audit event types such as <c>space.deleted</c>, e-mail kinds), which are not renamed.
/// </summary>
public sealed class Account : IdentityUser<Guid>
{
    public Civility Civility { get; set; }
    public string LastName { get; set; } = "";
    public string FirstName { get; set; } = "";
    public string Phone { get; set; } = "";
    public string AddressLine { get; set; } = "";
    public string PostalCode { get; set; } = "";
    public string City { get; set; } = "";
    public string Country { get; set; } = "FRANCE";

    /// <summary>14 digits, the first four are the year the space was created.</summary>
    public string SubscriberNumber { get; set; } = "";
    public AccountMode Mode { get; set; }

    public DateTimeOffset PasswordChangedAt { get; set; }
    /// <summary>Last day (Europe/Paris) on which the password is valid.</summary>
    public DateOnly PasswordValidUntil { get; set; }

    public string TrustQuestion { get; set; } = "";
    public string TrustAnswerHash { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>Null until the space has been activated with its first activation code.</summary>
    public DateTimeOffset? ActivatedAt { get; set; }

    public List<CompanyFile> Companies { get; set; } = [];
}

public enum Civility
{
    Madame = 1,
    Monsieur = 2,
}

public enum AccountMode
{
    Simplified = 1,
    Expert = 2,
}
