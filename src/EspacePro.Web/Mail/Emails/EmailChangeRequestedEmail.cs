namespace EspacePro.Web.Mail;

/// <summary>
/// To the OLD address when a change of login e-mail is requested (docs/security.md R18), with the
/// single-use link that cancels it, so that a hijack is noticed and undone before activation.
/// </summary>
public sealed record EmailChangeRequestedEmail(string To, string NewAddress, DateTimeOffset RequestedAt, Uri CancelLink) : SecurityNoticeEmail(To)
{
    public override string Subject => "Espace professionnel - Demande de modification de l'adresse électronique de connexion";

    public Uri CancelLink { get; init; } = CheckLink(CancelLink);

    public override bool ContainsSecret => true;

    protected override void Compose(MailContent content)
    {
        content.Paragraph($"Une modification de l'adresse électronique de connexion de votre espace professionnel a été demandée {At(RequestedAt)} (heure de Paris). La nouvelle adresse indiquée est : ", Inline.Strong(Mask(NewAddress)), ".");
        content.Paragraph("Un code d'activation a été envoyé à cette nouvelle adresse. Tant que la modification n'aura pas été activée, seule la présente adresse permet l'accès à votre espace.");
        content.Paragraph("Si vous êtes à l'origine de cette demande, vous n'avez rien à faire.");
        content.Paragraph("Si vous n'êtes pas à l'origine de cette demande, annulez-la en ouvrant le lien suivant : ", Inline.Link(CancelLink, CancelLink.AbsoluteUri));
        content.Paragraph("Ce lien ne peut servir qu'une seule fois, et tant que la modification n'a pas été activée. Modifiez ensuite sans attendre votre mot de passe, puis contactez " + Assistance + ".");
    }
}
