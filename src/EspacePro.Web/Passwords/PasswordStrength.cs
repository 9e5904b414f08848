namespace EspacePro.Web.Passwords;

public enum PasswordStrengthLevel { VeryWeak, Weak, Medium, Strong, VeryStrong }

/// <summary>What the live meter shows: "Niveau de sécurité : Fort".</summary>
public sealed record PasswordStrength(PasswordStrengthLevel Level, string Label)
{
    public static PasswordStrength For(PasswordStrengthLevel level) => new(level, level switch
    {
        PasswordStrengthLevel.VeryWeak => "Très faible",
        PasswordStrengthLevel.Weak => "Faible",
        PasswordStrengthLevel.Medium => "Moyen",
        PasswordStrengthLevel.Strong => "Fort",
        PasswordStrengthLevel.VeryStrong => "Très fort",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, null),
    });
}
