namespace EspacePro.Web.Pages.GererMonEspace.Identifiants;

/// <summary>
/// The three sections of « Modifier mes identifiants de connexion ». Validation is in the
/// sections (EmailSection, PasswordSection, TrustSection):
/// which fields are required depends on which boxes are ticked.
/// </summary>
public sealed class InputModel
{
    public bool ChangeEmail { get; set; }
    public string? NewEmail { get; set; }
    public string? ConfirmEmail { get; set; }

    public bool ChangePassword { get; set; }
    public string? NewPassword { get; set; }
    public string? ConfirmPassword { get; set; }

    public bool ChangeTrust { get; set; }
    public string? Question { get; set; }
    public string? Answer { get; set; }
}

public sealed class ReauthenticationInput
{
    public string? CurrentPassword { get; set; }
}

/// <summary>What the « Enregistrement » step reports, carried once through TempData.</summary>
public sealed record SavedChanges(bool Password, DateOnly? ValidUntil, bool Trust, string? Email, DateTimeOffset At);
