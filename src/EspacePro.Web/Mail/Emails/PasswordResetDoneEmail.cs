namespace EspacePro.Web.Mail;

/// <summary>After a reset through "Mot de passe oublié" (docs/security.md R20).</summary>
public sealed record PasswordResetDoneEmail(string To, DateTimeOffset ResetAt, DateOnly ValidUntil) : SecurityNoticeEmail(To)
{
    public override string Subject => "Espace professionnel - Réinitialisation du mot de passe";

    protected override void Compose(MailContent content)
    {
        content.Paragraph($"Le mot de passe de votre espace professionnel a été réinitialisé {At(ResetAt)} (heure de Paris) avec la procédure « Mot de passe oublié ».");
        content.Paragraph("Celui-ci est valable jusqu'au ", Inline.Strong(Day(ValidUntil)), ".");
        content.Paragraph("Toutes les connexions qui étaient ouvertes à votre espace ont été fermées.");
        content.Paragraph($"Si vous n'êtes pas à l'origine de cette réinitialisation, contactez sans attendre {Assistance}.");
    }
}
