namespace EspacePro.Web.Mail;

/// <summary>To the OLD address once the new login e-mail has been activated (docs/security.md R18).</summary>
public sealed record EmailChangedEmail(string To, string NewAddress, DateTimeOffset ChangedAt) : SecurityNoticeEmail(To)
{
    public override string Subject => "Espace professionnel - Modification de l'adresse électronique de connexion";

    protected override void Compose(MailContent content)
    {
        content.Paragraph($"L'adresse électronique de connexion de votre espace professionnel a été modifiée {At(ChangedAt)} (heure de Paris). La nouvelle adresse de connexion est : ", Inline.Strong(Mask(NewAddress)), ".");
        content.Paragraph("La présente adresse ne permet plus d'accéder à votre espace, et toutes les connexions qui y étaient ouvertes ont été fermées.");
        content.Paragraph($"Si vous n'êtes pas à l'origine de cette modification, contactez sans attendre {Assistance}.");
    }
}
