namespace EspacePro.Web.Mail;

/// <summary>The sheet's chapter 3: the confirmation sent after a password change in the space.</summary>
public sealed record PasswordChangedEmail(string To, DateTimeOffset ChangedAt, DateOnly ValidUntil) : SecurityNoticeEmail(To)
{
    public override string Subject => "Espace professionnel - Modification du mot de passe";

    protected override void Compose(MailContent content)
    {
        content.Paragraph("Vous avez modifié votre mot de passe ; cette demande a bien été prise en compte.");
        content.Paragraph("Celui-ci est valable jusqu'au ", Inline.Strong(Day(ValidUntil)), ".");
        content.Paragraph("En cas d'oubli de votre mot de passe, vous devrez saisir votre réponse à la question de confiance.");
        content.Paragraph($"Cette modification a été faite {At(ChangedAt)} (heure de Paris). Si vous n'en êtes pas à l'origine, choisissez sans attendre un nouveau mot de passe avec « Mot de passe oublié ? » sur la page de connexion à l'espace professionnel, puis contactez {Assistance}.");
    }
}
