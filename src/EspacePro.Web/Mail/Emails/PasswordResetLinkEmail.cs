namespace EspacePro.Web.Mail;

/// <summary>"Mot de passe oublié ?": the single-use link that proves control of the mailbox (docs/security.md R20).</summary>
public sealed record PasswordResetLinkEmail(string To, Uri ResetLink, DateTimeOffset RequestedAt) : Email(To)
{
    public override string Subject => "Espace professionnel - Mot de passe oublié";

    public Uri ResetLink { get; init; } = CheckLink(ResetLink);

    public override bool ContainsSecret => true;

    protected override void Compose(MailContent content)
    {
        content.Paragraph($"Une réinitialisation du mot de passe de votre espace professionnel a été demandée {At(RequestedAt)} (heure de Paris).");
        content.Paragraph("Pour choisir un nouveau mot de passe, ouvrez le lien suivant : ", Inline.Link(ResetLink, ResetLink.AbsoluteUri));
        content.Paragraph("Ce lien est valable ", Inline.Strong("1 heure"), " et ne peut servir qu'une seule fois. Vous devrez ensuite saisir votre réponse à la question de confiance.");
        content.Paragraph("Si vous n'êtes pas à l'origine de cette demande, ne tenez pas compte de ce message : votre mot de passe n'est pas modifié.");
    }
}
